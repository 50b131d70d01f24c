-- Moves tasks to new states where their current state allows it; one or many in one call (a worker batches the
-- writes of its handler threads).
-- KEYS     2 per task: its hash, then its failures list
-- ARGV     14 per task, in KEYS order:
--   1  new status
--   2  allowed current statuses, comma-separated (",QUEUED,RUNNING,")
--   3  updatedAt millis
--   4  attempts ('' keeps)
--   5  result JSON ('' keeps)
--   6  lastError JSON ('' keeps); also appended to the failures list
--   7  nextAttemptAt millis ('' keeps, '-' clears)
--   8  expire seconds (0: no expiry; -1: remove any expiry)
--   9  1 if terminal: publish the id on conveyor:terminal, if a long-poll waits for it (conveyor:waiting:<id>)
--   10..13 type, maxAttempts, createdAt millis, id: create the record when it is missing ('' to refuse)
--   14 the owning client of a record created here ('' for none)
-- Returns one {outcome, previous status} per task: outcome 'ok', 'refused' or 'missing'.
local p = 'conveyor:idx:'

local function transition(key, failures, a)
  local current = redis.call('HGET', key, 'status')
  if not current then
    if ARGV[a + 10] == '' then
      return {'missing', ''}
    end
    local id, ttype, created = ARGV[a + 13], ARGV[a + 10], ARGV[a + 12]
    redis.call('HSET', key, 'id', id, 'type', ttype, 'attempts', '0', 'maxAttempts', ARGV[a + 11],
      'createdAt', created)
    redis.call('ZADD', p .. 'all', created, id)
    redis.call('ZADD', p .. 'type:' .. ttype, created, id)
    if ARGV[a + 14] ~= '' then
      local c = p .. 'client:' .. ARGV[a + 14]
      redis.call('HSET', key, 'client', ARGV[a + 14])
      redis.call('ZADD', c, created, id)
      redis.call('ZADD', c .. ':type:' .. ttype, created, id)
    end
    current = ''
  elseif not string.find(ARGV[a + 2], ',' .. current .. ',', 1, true) then
    return {'refused', current}
  end
  local record = redis.call('HMGET', key, 'id', 'type', 'createdAt', 'client')
  local id, ttype, created, client = record[1], record[2], record[3], record[4]
  local status = ARGV[a + 1]
  if current ~= status then
    local stems = {p}
    if client then
      stems[2] = p .. 'client:' .. client .. ':'
    end
    for _, s in ipairs(stems) do
      if current ~= '' then
        redis.call('ZREM', s .. 'status:' .. current, id)
        redis.call('ZREM', s .. 'type:' .. ttype .. ':status:' .. current, id)
      end
      redis.call('ZADD', s .. 'status:' .. status, created, id)
      redis.call('ZADD', s .. 'type:' .. ttype .. ':status:' .. status, created, id)
    end
  end
  redis.call('HSET', key, 'status', status, 'updatedAt', ARGV[a + 3])
  if ARGV[a + 4] ~= '' then redis.call('HSET', key, 'attempts', ARGV[a + 4]) end
  if ARGV[a + 5] ~= '' then redis.call('HSET', key, 'result', ARGV[a + 5]) end
  if ARGV[a + 6] ~= '' then
    redis.call('HSET', key, 'lastError', ARGV[a + 6])
    redis.call('RPUSH', failures, ARGV[a + 6])
    redis.call('LTRIM', failures, -25, -1)
  end
  if ARGV[a + 7] == '-' then
    redis.call('HDEL', key, 'nextAttemptAt')
  elseif ARGV[a + 7] ~= '' then
    redis.call('HSET', key, 'nextAttemptAt', ARGV[a + 7])
  end
  local ttl = tonumber(ARGV[a + 8])
  if ttl > 0 then
    redis.call('EXPIRE', key, ttl)
    redis.call('EXPIRE', failures, ttl)
  elseif ttl < 0 then
    redis.call('PERSIST', key)
    redis.call('PERSIST', failures)
  end
  if ARGV[a + 9] == '1' and redis.call('EXISTS', 'conveyor:waiting:' .. id) == 1 then
    redis.call('PUBLISH', 'conveyor:terminal', id)
  end
  return {'ok', current}
end

local out = {}
for i = 1, #KEYS / 2 do
  out[i] = transition(KEYS[2 * i - 1], KEYS[2 * i], (i - 1) * 14)
end
return out
