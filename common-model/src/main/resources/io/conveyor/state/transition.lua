-- Moves tasks to new states where their current state allows it; one or many in one call (a worker batches the
-- writes of its handler threads).
-- KEYS     2 per task: its hash, then its failures list
-- ARGV     15 per task (Scripts.TRANSITION_ARGS, built by Transition.arguments), in KEYS order:
--   1  new status
--   2  allowed current statuses, comma-separated (",QUEUED,RUNNING,")
--   3  updatedAt millis
--   4  attempts ('' keeps)
--   5  result JSON ('' keeps)
--   6  lastError JSON ('' keeps); also appended to the failures list
--   7  nextAttemptAt millis ('' keeps, '-' clears)
--   8  expire seconds (0: no expiry; -1: remove any expiry)
--   9  1 if terminal: publish the id on conveyor:terminal, if a long-poll waits for it (conveyor:waiting:<id>)
--   10..13 type, maxAttempts, createdAt millis, id: create the record when it is missing ('' to refuse)
--   14 the owning client of a record created here ('' for none)
--   15 the worker that runs the attempt, for a move to RUNNING ('' for none)
-- A move to RUNNING records who runs the attempt ('worker') and since when ('startedAt', the updatedAt): they stay
-- on the record after the attempt, naming the latest one.
-- Every move clears why the task waited for a limit of its type (waitReason, waitMessage, waitUntil, written by the
-- worker's limit script while it is QUEUED): a move to RUNNING ends the wait in the same round trip.
-- A move to RUNNING clears the progress the previous attempt reported (progress.lua), and so does SUCCEEDED (the
-- result says it all, and the worker's throttle may have dropped the last report); other moves keep it, so a failed,
-- dead or cancelled task shows how far its last attempt came.
-- A move from a non-terminal state (or a missing record) to a terminal one counts once in the finished tasks of its
-- minute (from updatedAt): the hash OpsKeys.finished(epochMinute), task type -> count, kept 16 minutes
-- (OpsKeys.STATS_MINUTES plus the minute under way). Refused moves change nothing, so they never count.
-- Returns one {outcome, previous status, batch} per task: outcome 'ok', 'refused' or 'missing'; batch is the id of
-- a batch whose onComplete task is due ('' for none), see batchDue below.
local p = 'conveyor:idx:'
local terminal = {SUCCEEDED = true, DEAD = true, CANCELLED = true}

-- Batches: a member's record names its batch ('batch'). Its first move to a terminal state adds it to the batch's
-- done set and decrements 'remaining'; the SADD guard makes that happen once per member, whoever writes it (a
-- worker, a redelivery, a gateway's cancel). The call that takes 'remaining' to 0 wakes the batch's long-polls and,
-- when the batch has an onComplete task not yet published, names the batch to its caller, which then publishes it
-- (batch-claim.lua). A caller refused because the task is terminal already (a redelivery after a crash between this
-- script and that publish) is told the same while the batch is done and its onComplete unpublished, so the publish
-- is retried until one caller marks it published. A replayed dead member (DEAD -> QUEUED) counts again only if the
-- batch is not done yet.
local function batchDue(key, id, status, terminal, ttl, refused)
  local batch = redis.call('HGET', key, 'batch')
  if not batch then
    return ''
  end
  local b = 'conveyor:batch:' .. batch
  local info = redis.call('HMGET', b, 'remaining', 'onCompleteId', 'fired')
  if not info[1] then
    return ''
  end
  local remaining = tonumber(info[1])
  if not refused then
    if terminal then
      if redis.call('SADD', b .. ':done', id) == 1 then
        remaining = redis.call('HINCRBY', b, 'remaining', -1)
        if remaining == 0 then
          if ttl > 0 then
            redis.call('EXPIRE', b, ttl)
            redis.call('EXPIRE', b .. ':tasks', ttl)
            redis.call('EXPIRE', b .. ':done', ttl)
          end
          if redis.call('EXISTS', 'conveyor:waiting:batch:' .. batch) == 1 then
            redis.call('PUBLISH', 'conveyor:terminal', 'batch:' .. batch)
          end
        end
      end
    elseif remaining > 0 and redis.call('SREM', b .. ':done', id) == 1 then
      remaining = redis.call('HINCRBY', b, 'remaining', 1)
    end
  end
  if remaining == 0 and info[2] and not info[3] then
    return batch
  end
  return ''
end

local function transition(key, failures, a)
  local current = redis.call('HGET', key, 'status')
  if not current then
    if ARGV[a + 10] == '' then
      return {'missing', '', ''}
    end
    local id, ttype, created = ARGV[a + 13], ARGV[a + 10], ARGV[a + 12]
    redis.call('HSET', key, 'id', id, 'type', ttype, 'attempts', '0', 'maxAttempts', ARGV[a + 11],
      'createdAt', created)
    redis.call('ZADD', p .. 'all', created, id)
    redis.call('ZADD', p .. 'type:' .. ttype, created, id)
    if ARGV[a + 14] ~= '' then
      local c = p .. 'client:' .. ARGV[a + 14]
      redis.call('HSET', key, 'client', ARGV[a + 14])
      redis.call('ZADD', c, created, id)
      redis.call('ZADD', c .. ':type:' .. ttype, created, id)
    end
    current = ''
  elseif not string.find(ARGV[a + 2], ',' .. current .. ',', 1, true) then
    local due = ''
    if terminal[current] then
      due = batchDue(key, '', current, true, 0, true)
    end
    return {'refused', current, due}
  end
  local record = redis.call('HMGET', key, 'id', 'type', 'createdAt', 'client')
  local id, ttype, created, client = record[1], record[2], record[3], record[4]
  local status = ARGV[a + 1]
  if current ~= status then
    local stems = {p}
    if client then
      stems[2] = p .. 'client:' .. client .. ':'
    end
    for _, s in ipairs(stems) do
      if current ~= '' then
        redis.call('ZREM', s .. 'status:' .. current, id)
        redis.call('ZREM', s .. 'type:' .. ttype .. ':status:' .. current, id)
      end
      redis.call('ZADD', s .. 'status:' .. status, created, id)
      redis.call('ZADD', s .. 'type:' .. ttype .. ':status:' .. status, created, id)
    end
  end
  redis.call('HSET', key, 'status', status, 'updatedAt', ARGV[a + 3])
  -- Whatever moves the task ends a wait a worker's limit recorded (the worker's acquire.lua writes it).
  redis.call('HDEL', key, 'waitReason', 'waitMessage', 'waitUntil')
  if status == 'RUNNING' then
    redis.call('HSET', key, 'startedAt', ARGV[a + 3])
    local worker = ARGV[a + 15] or ''
    if worker ~= '' then
      redis.call('HSET', key, 'worker', worker)
    else
      redis.call('HDEL', key, 'worker')
    end
  end
  if ARGV[a + 9] == '1' and not terminal[current] then
    local finished = 'conveyor:stats:finished:' .. math.floor(tonumber(ARGV[a + 3]) / 60000)
    redis.call('HINCRBY', finished, ttype, 1)
    redis.call('EXPIRE', finished, 960)
  end
  if status == 'RUNNING' or status == 'SUCCEEDED' then
    -- A new attempt (or a redelivered one, which starts over) reports its own progress (progress.lua); a success
    -- needs none.
    redis.call('HDEL', key, 'progressDone', 'progressTotal', 'progressMessage', 'progressAt')
  end
  if ARGV[a + 4] ~= '' then redis.call('HSET', key, 'attempts', ARGV[a + 4]) end
  if ARGV[a + 5] ~= '' then redis.call('HSET', key, 'result', ARGV[a + 5]) end
  if ARGV[a + 6] ~= '' then
    redis.call('HSET', key, 'lastError', ARGV[a + 6])
    redis.call('RPUSH', failures, ARGV[a + 6])
    redis.call('LTRIM', failures, -25, -1)
  end
  if ARGV[a + 7] == '-' then
    redis.call('HDEL', key, 'nextAttemptAt')
  elseif ARGV[a + 7] ~= '' then
    redis.call('HSET', key, 'nextAttemptAt', ARGV[a + 7])
  end
  local ttl = tonumber(ARGV[a + 8])
  if ttl > 0 then
    redis.call('EXPIRE', key, ttl)
    redis.call('EXPIRE', failures, ttl)
  elseif ttl < 0 then
    redis.call('PERSIST', key)
    redis.call('PERSIST', failures)
  end
  if ARGV[a + 9] == '1' and redis.call('EXISTS', 'conveyor:waiting:' .. id) == 1 then
    redis.call('PUBLISH', 'conveyor:terminal', id)
  end
  return {'ok', current, batchDue(key, id, status, ARGV[a + 9] == '1', ttl, false)}
end

local out = {}
for i = 1, #KEYS / 2 do
  out[i] = transition(KEYS[2 * i - 1], KEYS[2 * i], (i - 1) * 15)
end
return out
