-- Deletes a schedule (ScheduleStore.delete).
-- KEYS[1] the schedule's hash, KEYS[2] the due set, KEYS[3] the set of all names
-- ARGV    name, caller's client ('' none), '1' when the caller manages every client's schedules
-- Returns 'deleted', 'missing' or 'foreign'. Tasks it fired stay; a tick under way finds the hash gone and stops.
local name, client, any = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'missing'
end
if any ~= '1' and (redis.call('HGET', KEYS[1], 'client') or '') ~= client then
  return 'foreign'
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], name)
redis.call('SREM', KEYS[3], name)
return 'deleted'
