-- One client's token bucket, shared by every gateway: takes one token if there is one.
-- KEYS[1]: the bucket, a hash {tokens, ts} (ts in microseconds of Redis's clock).
-- ARGV[1]: the rate's count; ARGV[2]: its period in ms; ARGV[3]: the burst (tokens when full);
-- ARGV[4] (optional): a charge of that many tokens taken whatever the bucket holds, which may leave it in debt: the
-- rest of a batch whose request took its one token (a batch of N tasks costs N); later requests wait for the refill.
-- Time comes from Redis (TIME), so gateways whose clocks disagree still share one bucket. Redis 7 replicates a
-- script by its effects, so a script may read TIME and then write.
-- Answers {1 taken / 0 refused, whole tokens left, ms until the next whole token}. The key expires when the bucket
-- would be full again: a missing key is a full bucket, so idle clients leave no keys behind.
local per_us = tonumber(ARGV[1]) / (tonumber(ARGV[2]) * 1000)
local burst = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(bucket[1])
local ts = tonumber(bucket[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
elseif now > ts then
  tokens = tokens + (now - ts) * per_us
  ts = now
end
-- Also caps a bucket filled under a larger rate than the client has now.
tokens = math.min(burst, tokens)

local taken = 0
local charge = tonumber(ARGV[4])
if charge ~= nil then
  tokens = tokens - charge
  taken = 1
elseif tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
-- In debt, the next whole token is the first one above zero.
local whole = math.floor(tokens)
local next_ms = math.ceil((math.max(whole + 1, 1) - tokens) / per_us / 1000)
whole = math.max(whole, 0)
local full_ms = math.ceil((burst - tokens) / per_us / 1000)

-- tostring would keep 14 digits only: ts has 16.
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.0f', ts))
redis.call('PEXPIRE', KEYS[1], math.max(1, full_ms))
return {taken, whole, next_ms}
