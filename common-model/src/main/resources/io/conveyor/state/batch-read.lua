-- A batch's record and its members' statuses, counted. KEYS[1] the batch hash, KEYS[2] its member list.
-- Returns {} for an unknown batch, else {flat hash fields..., '|', member ids..., '|', status, count, ...}; a member
-- whose record expired counts as 'EXPIRED'.
local hash = redis.call('HGETALL', KEYS[1])
if #hash == 0 then
  return {}
end
local ids = redis.call('LRANGE', KEYS[2], 0, -1)
local counts = {}
for _, id in ipairs(ids) do
  local status = redis.call('HGET', 'conveyor:task:' .. id, 'status') or 'EXPIRED'
  counts[status] = (counts[status] or 0) + 1
end
local out = hash
out[#out + 1] = '|'
for _, id in ipairs(ids) do
  out[#out + 1] = id
end
out[#out + 1] = '|'
for status, n in pairs(counts) do
  out[#out + 1] = status
  out[#out + 1] = tostring(n)
end
return out
