-- Claims the publish of a done batch's onComplete task, and records that task QUEUED (unless it exists).
-- KEYS[1] the batch hash, KEYS[2] its claim (a string with a lease)
-- ARGV    the claimant's token, the lease in millis
-- Returns {'due', envelope JSON, priority} to the one claimant that must publish now; else {state}: 'missing'
-- (unknown batch), 'none' (no onComplete), 'pending' (not done), 'fired' (published already) or 'busy' (another
-- claimant holds the lease; it expires if that one dies before publishing).
-- A record created here keeps the payload and options batch-create.lua recorded for it, and counts in the accepted
-- tasks of its creation minute, as in create.lua (OpsKeys.accepted).
local b = redis.call('HMGET', KEYS[1], 'remaining', 'onCompleteId', 'fired', 'client', 'onCompleteType',
  'onCompleteMaxAttempts', 'createdAt', 'onComplete', 'onCompletePriority', 'id', 'onCompletePayload',
  'onCompletePayloadBytes', 'onCompleteOptions')
if not b[1] then
  return {'missing'}
end
if not b[2] then
  return {'none'}
end
if b[3] then
  return {'fired'}
end
if tonumber(b[1]) > 0 then
  return {'pending'}
end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {'busy'}
end
local id, ttype, created, client = b[2], b[5], b[7], b[4]
local key = 'conveyor:task:' .. id
if redis.call('EXISTS', key) == 0 then
  local p = 'conveyor:idx:'
  redis.call('HSET', key, 'id', id, 'type', ttype, 'status', 'QUEUED', 'attempts', '0', 'maxAttempts', b[6],
    'createdAt', created, 'updatedAt', created, 'completes', b[10])
  for i, field in ipairs({'payload', 'payloadBytes', 'options'}) do
    if b[10 + i] then
      redis.call('HSET', key, field, b[10 + i])
    end
  end
  redis.call('ZADD', p .. 'all', created, id)
  redis.call('ZADD', p .. 'type:' .. ttype, created, id)
  redis.call('ZADD', p .. 'status:QUEUED', created, id)
  redis.call('ZADD', p .. 'type:' .. ttype .. ':status:QUEUED', created, id)
  if client then
    redis.call('HSET', key, 'client', client)
    local c = p .. 'client:' .. client
    redis.call('ZADD', c, created, id)
    redis.call('ZADD', c .. ':type:' .. ttype, created, id)
    redis.call('ZADD', c .. ':status:QUEUED', created, id)
    redis.call('ZADD', c .. ':type:' .. ttype .. ':status:QUEUED', created, id)
  end
  local accepted = 'conveyor:stats:accepted:' .. math.floor(tonumber(created) / 60000)
  redis.call('HINCRBY', accepted, ttype, 1)
  redis.call('EXPIRE', accepted, 960)
end
return {'due', b[8], b[9] or ''}
