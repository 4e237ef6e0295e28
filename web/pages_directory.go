package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

type directoryPage struct {
	Layout
	Assets     []*linkwork.Asset
	Query      string
	Category   string
	Age        string
	Free       bool
	Accepting  bool
	Categories []option
	Pager      pager
	Today      linkwork.Date
}

// directoryPage lists the community directory. It needs no sign-in and
// shows nothing about people.
func (s *Server) directoryPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg := pageNumber(q.Get("page"))
	p := &directoryPage{Layout: Layout{Title: "Community directory"}, Query: strings.TrimSpace(q.Get("q")), Category: q.Get("category"), Age: strings.TrimSpace(q.Get("age")),
		Free: q.Get("free") == "1", Accepting: q.Get("accepting") == "1", Today: linkwork.DateOf(s.cfg.Now().In(ukTime))}
	f := linkwork.AssetFilter{Query: p.Query, FreeOnly: p.Free, Accepting: p.Accepting, Offset: (pg - 1) * listSize, Limit: listSize}
	if c := linkwork.Category(p.Category); c.Valid() {
		f.Category = c
	}
	if p.Age != "" {
		age, err := parseInt(p.Age)
		if err != nil || age < 0 || age > 120 {
			p.Errors = []linkwork.FieldError{{Field: "age", Message: "Enter an age as a whole number, like 15"}}
		} else {
			f.Age = age
		}
	}
	p.Categories = []option{{Value: "", Label: "Any category", Selected: p.Category == ""}}
	for _, c := range linkwork.Categories {
		p.Categories = append(p.Categories, option{Value: string(c), Label: c.Label(), Selected: p.Category == string(c)})
	}
	status := http.StatusOK
	if len(p.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		list, total, err := s.svc.Assets.FindAssets(r.Context(), f)
		if err != nil {
			s.fail(w, r, false, err)
			return
		}
		p.Assets = list
		p.Pager = newPager(pg, listSize, total, func(n int) string {
			v := url.Values{"page": {strconv.Itoa(n)}, "q": {p.Query}, "category": {p.Category}, "age": {p.Age}}
			if p.Free {
				v.Set("free", "1")
			}
			if p.Accepting {
				v.Set("accepting", "1")
			}
			return "/directory?" + v.Encode()
		})
	}
	s.render(w, r, status, "directory", p)
}

type assetPage struct {
	Layout
	Asset   *linkwork.Asset
	OrgName string
	Today   linkwork.Date
}

func (s *Server) assetPage(w http.ResponseWriter, r *http.Request) {
	a, err := s.svc.Assets.FindAssetByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p := &assetPage{Layout: Layout{Title: a.Name}, Asset: a, Today: linkwork.DateOf(s.cfg.Now().In(ukTime))}
	if a.OrgID != "" {
		if o, err := s.svc.Organisations.FindOrganisationByID(linkwork.NewContext(r.Context(), linkwork.SystemActor("directory")), a.OrgID); err == nil {
			p.OrgName = o.Name
		}
	}
	s.render(w, r, http.StatusOK, "asset", p)
}
