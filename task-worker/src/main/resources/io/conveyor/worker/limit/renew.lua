-- Extends the leases of attempts still running, so their slots stay taken; a lease already gone (expired while
-- Redis did not answer, or released) is not brought back.
-- KEYS[1]  the type's running set
-- ARGV[1]  the lease in ms; ARGV[2..] the members to renew
-- Answers how many were renewed.
local clock = redis.call('TIME')
local until_ms = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000) + tonumber(ARGV[1])
local renewed = 0
for i = 2, #ARGV do
  renewed = renewed + redis.call('ZADD', KEYS[1], 'XX', 'CH', until_ms, ARGV[i])
end
-- No member expires later than now + a lease: neither need the set.
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return renewed
