-- Records how far a running attempt has come (TaskContext.progress), only while the task is RUNNING that very
-- attempt: a late write never touches a finished, retried, cancelled or expired task, nor creates a record.
-- KEYS[1]  the task's hash
-- ARGV     attempt, done, total ('' when unknown), message ('' for none), reported-at millis
-- Returns 1 when written, 0 when the task was not running that attempt. transition.lua clears these fields when an
-- attempt starts.
local current = redis.call('HMGET', KEYS[1], 'status', 'attempts')
if current[1] ~= 'RUNNING' or current[2] ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'progressDone', ARGV[2], 'progressTotal', ARGV[3], 'progressMessage', ARGV[4],
  'progressAt', ARGV[5])
return 1
