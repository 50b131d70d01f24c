-- Ends a claim of batch-claim.lua. KEYS[1] the batch hash, KEYS[2] its claim; ARGV[1] 'fired' once the broker
-- confirmed the onComplete task (no one publishes it again), or 'release' after a failed publish (the next claimant
-- tries again); ARGV[2] the claimant's token, ARGV[3] when fired, in millis.
if ARGV[1] == 'fired' then
  if redis.call('EXISTS', KEYS[1]) == 1 then
    redis.call('HSET', KEYS[1], 'fired', ARGV[3])
  end
  redis.call('DEL', KEYS[2])
elseif redis.call('GET', KEYS[2]) == ARGV[2] then
  redis.call('DEL', KEYS[2])
end
return 1
