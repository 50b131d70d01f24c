-- Creates task records, one or many in one call (the gateway batches the requests that arrive together).
-- KEYS[i]  task hash of the i-th task
-- ARGV     8 per task, in KEYS order: id, type, status, maxAttempts, createdAtMillis, nextAttemptAtMillis ('' for none),
--          client ('' for a task submitted without an API key; a client's tasks are also in its own indexes),
--          batch ('' for a task of no batch; else the batch it belongs to, see transition.lua)
-- Returns one integer per task: 1 when created, 0 when the task already existed (nothing changes).
local p = 'conveyor:idx:'
local out = {}
for i, key in ipairs(KEYS) do
  local a = (i - 1) * 8
  if redis.call('EXISTS', key) == 1 then
    out[i] = 0
  else
    local id, ttype, status, created = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 5]
    redis.call('HSET', key, 'id', id, 'type', ttype, 'status', status, 'attempts', '0',
      'maxAttempts', ARGV[a + 4], 'createdAt', created, 'updatedAt', created)
    if ARGV[a + 6] ~= '' then
      redis.call('HSET', key, 'nextAttemptAt', ARGV[a + 6])
    end
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
    if ARGV[a + 8] and ARGV[a + 8] ~= '' then
      redis.call('HSET', key, 'batch', ARGV[a + 8])
    end
    out[i] = 1
  end
end
return out
