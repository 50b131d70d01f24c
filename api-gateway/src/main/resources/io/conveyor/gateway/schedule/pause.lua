-- Pauses or resumes a schedule (ScheduleStore.pause, resume).
-- KEYS[1] the schedule's hash, KEYS[2] the due set
-- ARGV    name, '1' to pause or '0' to resume, nextFireAt millis (for a resume: the first tick after now), now millis
-- Returns 'missing', 'ok', or 'unchanged' (already in that state). A paused schedule leaves the due set, so no
-- gateway looks at it; a resume schedules its next future tick: ticks while paused are not caught up.
local name, pause, nextAt, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'missing'
end
if (redis.call('HGET', KEYS[1], 'paused') or '0') == pause then
  return 'unchanged'
end
redis.call('HSET', KEYS[1], 'paused', pause, 'updatedAt', now)
if pause == '1' then
  redis.call('ZREM', KEYS[2], name)
else
  redis.call('HSET', KEYS[1], 'nextFireAt', nextAt)
  redis.call('HDEL', KEYS[1], 'tickAt', 'tickTask', 'tickMissed', 'tickAttempts')
  if nextAt ~= '' then
    redis.call('ZADD', KEYS[2], nextAt, name)
  end
end
return 'ok'
