-- Creates a batch's record, before its members' records (create.lua) and before anything is published.
-- KEYS[1] the batch hash, KEYS[2] the list of its member ids
-- ARGV    id, createdAt millis, client ('' for none), onComplete task id ('' for none), its type, its maxAttempts,
--         its envelope (JSON), its priority ('' for none), what its record keeps for the operator console as
--         create.lua does (payload JSON or '', payload size or '', options JSON or ''; batch-claim.lua copies them
--         into the record), then the member ids in order
-- Returns 1 when created, 0 when the batch existed (nothing changes).
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local size = #ARGV - 11
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'size', size, 'remaining', size, 'createdAt', ARGV[2])
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[1], 'client', ARGV[3])
end
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], 'onCompleteId', ARGV[4], 'onCompleteType', ARGV[5], 'onCompleteMaxAttempts', ARGV[6],
    'onComplete', ARGV[7], 'onCompletePriority', ARGV[8])
  local kept = {'onCompletePayload', 'onCompletePayloadBytes', 'onCompleteOptions'}
  for i, field in ipairs(kept) do
    if ARGV[8 + i] ~= '' then
      redis.call('HSET', KEYS[1], field, ARGV[8 + i])
    end
  end
end
for i = 12, #ARGV, 500 do
  redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + 499, #ARGV)))
end
return 1
