-- Moves a schedule past a tick it fired or skipped (ScheduleStore.advance): a compare-and-set on the tick.
-- KEYS[1] the schedule's hash, KEYS[2] the due set
-- ARGV    name, the tick claimed (millis), the next tick (millis; '' when the expression never fires again),
--         the task id fired ('' for a tick skipped by the missed policy)
-- Returns 1 when advanced; 0 when the schedule is gone or no longer at that tick (another gateway advanced it, or it
-- was replaced or resumed meanwhile): nothing changes.
local name, tick, nextAt, task = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HGET', KEYS[1], 'nextFireAt') ~= tick then
  return 0
end
redis.call('HSET', KEYS[1], 'nextFireAt', nextAt)
redis.call('HDEL', KEYS[1], 'tickAt', 'tickTask', 'tickMissed', 'tickAttempts')
if task ~= '' then
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  redis.call('HSET', KEYS[1], 'lastFireAt', tostring(now), 'lastTaskId', task, 'lastTick', tick)
end
if nextAt == '' or redis.call('HGET', KEYS[1], 'paused') == '1' then
  redis.call('ZREM', KEYS[2], name)
else
  redis.call('ZADD', KEYS[2], nextAt, name)
end
return 1
