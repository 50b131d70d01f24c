-- Ends an attempt's hold on its type's limits.
-- KEYS[1]  the type's running set; KEYS[2] its token bucket
-- ARGV[1]  the attempt's member ('' when the type has no running limit)
-- ARGV[2]  1 to give the attempt's token back (it never ran: its task turned out finished), else 0
-- ARGV[3]  the burst: a bucket never holds more
-- Answers 1.
if ARGV[1] ~= '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
end
if ARGV[2] == '1' then
  local tokens = tonumber(redis.call('HGET', KEYS[2], 'tokens'))
  -- A missing bucket is full already.
  if tokens ~= nil then
    redis.call('HSET', KEYS[2], 'tokens', string.format('%.17g', math.min(tonumber(ARGV[3]), tokens + 1)))
  end
end
return 1
