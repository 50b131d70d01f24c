-- Creates or replaces a schedule (ScheduleStore.save).
-- KEYS[1] the schedule's hash, KEYS[2] the due set (name -> when to look at it next), KEYS[3] the set of all names
-- ARGV    name, mode ('create': refuse an existing name; 'replace': create or replace), caller's client ('' none),
--         '1' when the caller manages every client's schedules (operator), definition JSON, nextFireAt millis, now millis
-- Returns 'created', 'replaced', 'exists' (create of a taken name) or 'foreign' (replace of another client's).
-- A replace keeps the owner, paused, lastFireAt, lastTaskId and createdAt, and forgets a tick under way: its claimer's
-- advance then finds nextFireAt moved and changes nothing.
local name, mode, client, any, definition, nextAt, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
if redis.call('EXISTS', KEYS[1]) == 1 then
  if mode == 'create' then
    return 'exists'
  end
  local owner = redis.call('HGET', KEYS[1], 'client') or ''
  if any ~= '1' and owner ~= client then
    return 'foreign'
  end
  redis.call('HSET', KEYS[1], 'definition', definition, 'nextFireAt', nextAt, 'updatedAt', now)
  redis.call('HDEL', KEYS[1], 'tickAt', 'tickTask', 'tickMissed', 'tickAttempts')
  if redis.call('HGET', KEYS[1], 'paused') == '1' then
    redis.call('ZREM', KEYS[2], name)
  else
    redis.call('ZADD', KEYS[2], nextAt, name)
  end
  return 'replaced'
end
redis.call('HSET', KEYS[1], 'name', name, 'definition', definition, 'client', client, 'paused', '0',
  'nextFireAt', nextAt, 'createdAt', now, 'updatedAt', now)
redis.call('ZADD', KEYS[2], nextAt, name)
redis.call('SADD', KEYS[3], name)
return 'created'
