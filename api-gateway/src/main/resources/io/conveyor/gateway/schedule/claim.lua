-- Claims the due ticks of up to ARGV[2] schedules for one gateway (ScheduleStore.claim), on Redis's clock.
-- KEYS[1] the due set: schedule name -> when to look at it next (its next tick, or a claimed tick's lease end)
-- ARGV    hash key prefix, limit, lease millis, grace millis, then `limit` fresh task ids
-- A due schedule is claimed by moving its score to now + lease: no other gateway sees it due until the lease ends,
-- so one gateway at a time fires a tick. The tick's task id is fixed by its first claim (tickAt, tickTask): a
-- gateway that claims it again after a lease ran out (its claimer died, or its publish failed) fires the very same
-- task id, never a second task. The first claim also decides, once, whether the tick was missed (claimed more than
-- the grace after its time), so every claimer applies the missed policy alike.
-- Returns {now, then 7 fields per claim: name, tick, task id, missed ('1'/'0'), attempt, definition, client}.
local prefix, limit, lease, grace = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local out = {tostring(now)}
local names = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit)
for i, name in ipairs(names) do
  local key = prefix .. name
  local h = redis.call('HMGET', key, 'nextFireAt', 'paused', 'tickAt', 'tickTask', 'tickMissed', 'tickAttempts',
    'definition', 'client')
  if not h[1] or h[1] == '' or h[2] == '1' then
    redis.call('ZREM', KEYS[1], name)
  else
    local tick = h[1]
    local task, missed, attempt
    if h[3] == tick and h[4] then
      task, missed, attempt = h[4], h[5] or '0', tonumber(h[6] or '0') + 1
    else
      task, attempt = ARGV[4 + i], 1
      missed = (now > tonumber(tick) + grace) and '1' or '0'
    end
    redis.call('HSET', key, 'tickAt', tick, 'tickTask', task, 'tickMissed', missed, 'tickAttempts', attempt)
    redis.call('ZADD', KEYS[1], now + lease, name)
    for _, v in ipairs({name, tick, task, missed, tostring(attempt), h[7] or '', h[8] or ''}) do
      out[#out + 1] = v
    end
  end
end
return out
