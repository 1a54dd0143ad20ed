package redisbroker

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// gcra is a token bucket as the generic cell rate algorithm: one key per
// bucket holds the theoretical arrival time (ms, Redis's clock); a request
// is allowed when it lands no more than burst intervals ahead of now. It
// returns 0 when allowed, else how many ms until a token is free. One
// script: atomic on the server, so every instance takes from the same bucket.
var gcra = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new = tat + interval
local over = new - now - burst * interval
if over > 0 then return math.ceil(over) end
redis.call('SET', KEYS[1], new, 'PX', math.ceil(new - now))
return 0
`)

// Take takes a token from the bucket key, refilled at perSecond up to
// burst, shared by every instance using this Redis (httpapi.SharedLimits):
// N instances then allow the limit once, not N times. When no token is
// left it says how long until one is.
func (b *Broker) Take(ctx context.Context, key string, perSecond float64, burst int) (bool, time.Duration, error) {
	if perSecond <= 0 || burst < 1 {
		return false, 0, fmt.Errorf("redisbroker: bad limit %g/s, burst %d", perSecond, burst)
	}
	ctx, cancel := context.WithTimeout(ctx, b.cfg.opTimeout)
	defer cancel()
	interval := 1000 / perSecond
	wait, err := gcra.Run(ctx, b.client, []string{"plein:limit:" + key}, interval, burst).Int64()
	if err != nil {
		return false, 0, fmt.Errorf("redisbroker: limit: %w", err)
	}
	return wait == 0, time.Duration(wait) * time.Millisecond, nil
}
