package teamspace

import (
	"container/list"
	"regexp"
	"sync"
)

// mentionTokenRE matches a mention token in a markdown body (server/richtext/short).
var mentionTokenRE = regexp.MustCompile(`<@u[0-9a-f]{24}>`)

// htmlCache keeps rendered markdown, keyed by thing and revision: a stream
// page renders each body once, not on every read.
type htmlCache struct {
	mu    sync.Mutex
	max   int
	ll    *list.List
	items map[string]*list.Element
}

type cacheItem struct{ key, val string }

func newHTMLCache(max int) *htmlCache {
	return &htmlCache{max: max, ll: list.New(), items: map[string]*list.Element{}}
}

func (c *htmlCache) get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.ll.MoveToFront(el)
		return el.Value.(*cacheItem).val, true
	}
	return "", false
}

func (c *htmlCache) put(key, val string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		el.Value.(*cacheItem).val = val
		c.ll.MoveToFront(el)
		return
	}
	c.items[key] = c.ll.PushFront(&cacheItem{key, val})
	for c.ll.Len() > c.max {
		el := c.ll.Back()
		c.ll.Remove(el)
		delete(c.items, el.Value.(*cacheItem).key)
	}
}
