package linkwork

// Paging bounds, the same at every door. A list's offset is at most
// MaxOffset and a page number at most MaxPage (pages hold at most
// MaxPageSize items): both lie past the end of any list linkwork holds,
// and bounding them keeps the arithmetic of paging (page × size, offset
// + limit) from overflowing. The doors refuse a number past them, naming
// the parameter; the store treats a larger offset as MaxOffset, an empty
// page.
const (
	MaxOffset   = 1_000_000_000
	MaxPage     = 1_000_000
	MaxPageSize = 500
)
