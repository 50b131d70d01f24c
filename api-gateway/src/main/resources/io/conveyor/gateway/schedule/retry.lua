-- A tick that could not be fired (the publish was refused, the type is no longer known) is tried again after a
-- delay instead of at the lease's end (ScheduleStore.retry): its task id stays (see claim.lua).
-- KEYS[1] the schedule's hash, KEYS[2] the due set
-- ARGV    name, the tick claimed (millis), delay millis
-- Returns 1 when rescheduled, 0 when the schedule moved on (replaced, paused, deleted, advanced by another).
local name, tick, delay = ARGV[1], ARGV[2], tonumber(ARGV[3])
if redis.call('HGET', KEYS[1], 'nextFireAt') ~= tick or redis.call('HGET', KEYS[1], 'paused') == '1' then
  return 0
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[2], now + delay, name)
return 1
