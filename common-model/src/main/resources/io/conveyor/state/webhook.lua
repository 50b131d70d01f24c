-- Records where a task's signed webhook stands (README, "Webhooks"), on an existing record only: never creates one.
-- KEYS[1]  the task's hash
-- ARGV     8 (WebhookState): 1 mode, 'queued' (the broker confirmed a job for this event) or 'attempt' (a delivery
--          attempt ended); 2 event id; 3 event time millis; 4 callback URL;
--          for 'attempt': 5 status PENDING|DELIVERED|FAILED, 6 attempts made, 7 error ('' for none), 8 time millis
-- One task may send several events (a dead task replayed ends again): a newer event starts the fields over, news of an
-- older one is ignored, and within one event an attempt never overwrites a later one.
-- 'queued' also stores callbackSent = '<status>:<updatedAt>' of the record as it is then (its terminal state): a
-- redelivered task message that finds the task terminal enqueues the webhook again only when this does not name the
-- state it finds.
-- Returns 1 when written, 0 when not.
local key = KEYS[1]
if redis.call('EXISTS', key) == 0 then
  return 0
end
local cur = redis.call('HMGET', key, 'callbackEvent', 'callbackEventAt', 'callbackAttempts')
if cur[1] ~= ARGV[2] then
  if cur[2] and tonumber(cur[2]) > tonumber(ARGV[3]) then
    return 0
  end
  redis.call('HSET', key, 'callbackEvent', ARGV[2], 'callbackEventAt', ARGV[3], 'callbackUrl', ARGV[4],
    'callbackStatus', 'PENDING', 'callbackAttempts', '0')
  redis.call('HDEL', key, 'callbackError', 'callbackAt')
  cur[3] = '0'
end
if ARGV[1] == 'queued' then
  local s = redis.call('HMGET', key, 'status', 'updatedAt')
  redis.call('HSET', key, 'callbackSent', (s[1] or '') .. ':' .. (s[2] or ''))
  return 1
end
if tonumber(ARGV[6]) < tonumber(cur[3] or '0') then
  return 0
end
redis.call('HSET', key, 'callbackStatus', ARGV[5], 'callbackAttempts', ARGV[6], 'callbackAt', ARGV[8])
if ARGV[7] == '' then
  redis.call('HDEL', key, 'callbackError')
else
  redis.call('HSET', key, 'callbackError', ARGV[7])
end
return 1
