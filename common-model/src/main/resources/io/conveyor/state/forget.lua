-- KEYS[1] task hash, KEYS[2] its failures list. Returns 1 when a task was removed, 0 when there was none.
local id = redis.call('HGET', KEYS[1], 'id')
if not id then
  return 0
end
local ttype = redis.call('HGET', KEYS[1], 'type')
local status = redis.call('HGET', KEYS[1], 'status')
local client = redis.call('HGET', KEYS[1], 'client')
local p = 'conveyor:idx:'
redis.call('ZREM', p .. 'all', id)
redis.call('ZREM', p .. 'type:' .. ttype, id)
if status then
  redis.call('ZREM', p .. 'status:' .. status, id)
  redis.call('ZREM', p .. 'type:' .. ttype .. ':status:' .. status, id)
end
if client then
  local c = p .. 'client:' .. client
  redis.call('ZREM', c, id)
  redis.call('ZREM', c .. ':type:' .. ttype, id)
  if status then
    redis.call('ZREM', c .. ':status:' .. status, id)
    redis.call('ZREM', c .. ':type:' .. ttype .. ':status:' .. status, id)
  end
end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
