package web

import (
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// parseInt reads a whole number typed by a person.
func parseInt(s string) (int, error) {
	return strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(s, ",", "")))
}

// pageNumber reads a 1-based page number, defaulting to 1.
func pageNumber(s string) int {
	n, err := parseInt(s)
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// pager describes a page of a list.
type pager struct {
	Page, Pages, Total, Size int
	Prev, Next               string
}

func newPager(page, size, total int, link func(page int) string) pager {
	pages := (total + size - 1) / size
	p := pager{Page: page, Pages: pages, Total: total, Size: size}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	return p
}

// referralStatuses turns the status filter of the referrals page into
// statuses: "open" is received and in triage; "" and "all" are every status.
func referralStatuses(v string) []linkwork.ReferralStatus {
	switch v {
	case "open":
		return []linkwork.ReferralStatus{linkwork.ReferralReceived, linkwork.ReferralTriage}
	case "", "all":
		return nil
	}
	s := linkwork.ReferralStatus(v)
	if s.Valid() {
		return []linkwork.ReferralStatus{s}
	}
	return nil
}
