package oruk

import "encoding/json"

// Page is one page of a paged response (GET /services, /service_at_locations,
// /taxonomies, /taxonomy_terms), as openapi.json's Page defines it with the
// items in Contents. Every field is always sent, and Contents is [] rather
// than null when there is nothing on the page.
type Page[T any] struct {
	TotalItems int  `json:"total_items"` // items across every page
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"` // from 1
	Size       int  `json:"size"`        // items on this page
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"` // no items on this page
	Contents   []T  `json:"contents"`
}

// NewPage makes page pageNumber (from 1) of a result of totalItems items,
// perPage to a page, holding contents. It works out the counts and flags:
// an empty result has no pages, and its page 1 is both first and last.
func NewPage[T any](contents []T, pageNumber, perPage, totalItems int) Page[T] {
	if contents == nil {
		contents = []T{}
	}
	if pageNumber < 1 {
		pageNumber = 1
	}
	pages := 0
	if perPage > 0 {
		pages = (totalItems + perPage - 1) / perPage
	}
	return Page[T]{
		TotalItems: totalItems,
		TotalPages: pages,
		PageNumber: pageNumber,
		Size:       len(contents),
		FirstPage:  pageNumber == 1,
		LastPage:   pageNumber >= pages,
		Empty:      len(contents) == 0,
		Contents:   contents,
	}
}

// pageJSON has Page's fields without its MarshalJSON.
type pageJSON[T any] struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   []T  `json:"contents"`
}

// MarshalJSON sends nil Contents as [], which the schema requires (an
// array, never null).
func (p Page[T]) MarshalJSON() ([]byte, error) {
	q := pageJSON[T](p)
	if q.Contents == nil {
		q.Contents = []T{}
	}
	return json.Marshal(q)
}
