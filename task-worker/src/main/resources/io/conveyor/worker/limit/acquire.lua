-- Admits one attempt of a limited task type, across all workers: takes a token of the type's rate (a token bucket)
-- and a slot of its most-running (a set of leases) together, or neither.
-- KEYS[1]  the task's hash (conveyor:task:<id>)
-- KEYS[2]  the type's token bucket, a hash {tokens, ts} (ts in microseconds of Redis's clock)
-- KEYS[3]  the type's running set: members <worker>:<task id>:<attempt>, scored by their lease's expiry in ms
-- ARGV[1]  the rate's count, 0 for no rate limit; ARGV[2] its period in ms; ARGV[3] the burst (tokens when full)
-- ARGV[4]  the most attempts running at once, 0 for no such limit; ARGV[5] this attempt's member; ARGV[6] lease ms
-- ARGV[7]  the waiting message of a rate limit; ARGV[8] that of the running limit
-- ARGV[9]  the retry tiers in ms, comma-separated, shortest first
-- Time comes from Redis (TIME), so workers whose clocks disagree share one bucket and one set of leases.
-- Answers {1} when admitted (token and slot taken), {2} when the task's record is finished, dead or cancelled
-- (nothing taken: the worker's RUNNING write refuses it), or {0, reason, hop ms} when refused: then nothing is
-- taken, and a task recorded QUEUED or RETRY_SCHEDULED gets waitReason, waitMessage and waitUntil (now + hop, when
-- its message comes back from the tier) for its view; a missing record is not created.
local clock = redis.call('TIME')
local now_us = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local now_ms = math.floor(now_us / 1000)

local status = redis.call('HGET', KEYS[1], 'status')
if status == 'SUCCEEDED' or status == 'DEAD' or status == 'CANCELLED' then
  return {2}
end

local function refuse(reason, message, retry_ms)
  local hop = nil
  for tier in string.gmatch(ARGV[9], '%d+') do
    local t = tonumber(tier)
    if hop == nil or t <= retry_ms then
      hop = t
    end
  end
  if status == 'QUEUED' or status == 'RETRY_SCHEDULED' then
    redis.call('HSET', KEYS[1], 'waitReason', reason, 'waitMessage', message,
      'waitUntil', string.format('%.0f', now_ms + hop))
  end
  return {0, reason, hop}
end

local max_running = tonumber(ARGV[4])
if max_running > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now_ms)
  -- A redelivery of an attempt this worker holds a lease for already (same member) keeps it.
  if not redis.call('ZSCORE', KEYS[3], ARGV[5]) and redis.call('ZCARD', KEYS[3]) >= max_running then
    -- When a slot frees is unknown (a handler may end any moment): the shortest tier.
    return refuse('max-running', ARGV[8], 0)
  end
end

local count = tonumber(ARGV[1])
if count > 0 then
  local per_us = count / (tonumber(ARGV[2]) * 1000)
  local burst = tonumber(ARGV[3])
  local bucket = redis.call('HMGET', KEYS[2], 'tokens', 'ts')
  local tokens = tonumber(bucket[1])
  local ts = tonumber(bucket[2])
  if tokens == nil or ts == nil then
    tokens = burst
    ts = now_us
  elseif now_us > ts then
    tokens = tokens + (now_us - ts) * per_us
    ts = now_us
  end
  tokens = math.min(burst, tokens)
  if tokens < 1 then
    -- Not taken: the bucket is left as it was, so a refusal costs no token.
    return refuse('rate-limit', ARGV[7], math.ceil((1 - tokens) / per_us / 1000))
  end
  tokens = tokens - 1
  -- tostring would keep 14 digits only: ts has 16.
  redis.call('HSET', KEYS[2], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.0f', ts))
  -- A missing bucket is a full one: the key goes once it would be full again.
  redis.call('PEXPIRE', KEYS[2], math.max(1, math.ceil((burst - tokens) / per_us / 1000)))
end

if max_running > 0 then
  local lease = tonumber(ARGV[6])
  redis.call('ZADD', KEYS[3], now_ms + lease, ARGV[5])
  -- Every member expires within a lease from now: so does the set, once no worker renews it.
  redis.call('PEXPIRE', KEYS[3], lease)
end
return {1}
