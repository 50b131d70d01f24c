-- Creates task records, one or many in one call (the gateway batches the requests that arrive together).
-- KEYS[i]  task hash of the i-th task
-- ARGV     13 per task (Scripts.CREATE_ARGS, built by TaskRecords.createArguments), in KEYS order: id, type, status,
--          maxAttempts, createdAtMillis, nextAttemptAtMillis ('' for none),
--          client ('' for a task submitted without an API key; a client's tasks are also in its own indexes),
--          batch ('' for a task of no batch; else the batch it belongs to, see transition.lua),
--          payload JSON ('' when not kept: too large, or none), payload size in bytes ('' when the payload is kept),
--          options JSON as submitted ('' for none),
--          schedule ('' for a task no schedule fired), callback URL ('' for none)
-- Callers written before the last six arguments existed may leave them out of a one-task call.
-- Returns one integer per task: 1 when created, 0 when the task already existed (nothing changes).
-- A created task counts once in the accepted tasks of its creation minute: the hash OpsKeys.accepted(epochMinute),
-- task type -> count, kept 16 minutes (OpsKeys.STATS_MINUTES plus the minute under way).
local p = 'conveyor:idx:'
local out = {}
local function optional(hash, field, value)
  if value and value ~= '' then
    redis.call('HSET', hash, field, value)
  end
end
for i, key in ipairs(KEYS) do
  local a = (i - 1) * 13
  if redis.call('EXISTS', key) == 1 then
    out[i] = 0
  else
    local id, ttype, status, created = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 5]
    redis.call('HSET', key, 'id', id, 'type', ttype, 'status', status, 'attempts', '0',
      'maxAttempts', ARGV[a + 4], 'createdAt', created, 'updatedAt', created)
    optional(key, 'nextAttemptAt', ARGV[a + 6])
    redis.call('ZADD', p .. 'all', created, id)
    redis.call('ZADD', p .. 'type:' .. ttype, created, id)
    redis.call('ZADD', p .. 'status:' .. status, created, id)
    redis.call('ZADD', p .. 'type:' .. ttype .. ':status:' .. status, created, id)
    local client = ARGV[a + 7]
    if client ~= '' then
      redis.call('HSET', key, 'client', client)
      local c = p .. 'client:' .. client
      redis.call('ZADD', c, created, id)
      redis.call('ZADD', c .. ':type:' .. ttype, created, id)
      redis.call('ZADD', c .. ':status:' .. status, created, id)
      redis.call('ZADD', c .. ':type:' .. ttype .. ':status:' .. status, created, id)
    end
    optional(key, 'batch', ARGV[a + 8])
    optional(key, 'payload', ARGV[a + 9])
    optional(key, 'payloadBytes', ARGV[a + 10])
    optional(key, 'options', ARGV[a + 11])
    optional(key, 'schedule', ARGV[a + 12])
    optional(key, 'callbackUrl', ARGV[a + 13])
    local accepted = 'conveyor:stats:accepted:' .. math.floor(tonumber(created) / 60000)
    redis.call('HINCRBY', accepted, ttype, 1)
    redis.call('EXPIRE', accepted, 960)
    out[i] = 1
  end
end
return out
