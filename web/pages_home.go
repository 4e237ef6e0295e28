package web

import (
	"fmt"
	"net/http"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// stat is one figure on a home page.
type stat struct {
	Key   string
	Label string
	N     int64
	Href  string
}

type pathwayShare struct {
	Label string
	N     int
	Share string
}

type homePage struct {
	Layout
	Heading   string
	OrgName   string
	Stats     []stat
	Caseloads []linkwork.Caseload
	ByPathway []pathwayShare
}

// homePage is the landing page for visitors and each role's home for
// signed-in users, with real counts.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	p := &homePage{Layout: Layout{Title: "Home"}}
	if u == nil {
		p.Title = "Social prescribing"
		s.render(w, r, http.StatusOK, "home", p)
		return
	}
	h, err := s.svc.Home.HomeFigures(r.Context())
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	// The organisation's name only heads the page: without it, the
	// figures still show.
	if o, err := s.svc.Organisations.FindOrganisationByID(r.Context(), u.OrgID); err == nil {
		p.OrgName = o.Name
	} else {
		s.logMissing(r, "the user's organisation", err)
	}
	p.Heading = "Welcome, " + u.Name
	directory := []stat{
		{"assets", "activities in the directory", int64(h.Assets), "/directory"},
		{"stale-assets", "listings due a check", int64(h.StaleAssets), ""},
	}
	switch u.Role {
	case linkwork.RoleReferrer:
		p.Stats = []stat{
			{"referrals-open", "referrals awaiting a decision", int64(h.MyReferralsOpen), "/referrals?status=open"},
			{"referrals-accepted", "referrals accepted", int64(h.MyReferralsAccepted), "/referrals?status=accepted"},
			{"referrals-declined", "referrals declined, with where we directed them", int64(h.MyReferralsDeclined), "/referrals?status=declined"},
		}
	case linkwork.RoleLinkWorker:
		p.Stats = []stat{
			{"risk-review", "possible risks to review today", int64(h.RiskToReview), "/triage"},
			{"caseload", "people on my caseload", int64(h.MyCaseload), "/caseload"},
			{"contacts-week", "sessions and contacts in the last 7 days", int64(h.MyContactsWeek), ""},
			{"awaiting-triage", "referrals waiting for triage", int64(h.AwaitingTriage), "/triage"},
			{"deferred-due", "deferred referrals back in the queue", int64(h.DeferredDueBack), "/triage?view=meeting"},
			{"waiting-list", "people on the waiting list", int64(h.WaitingList), "/waiting-list"},
		}
	case linkwork.RoleCoordinator, linkwork.RoleSafeguarding:
		p.Stats = []stat{
			{"risk-review", "possible risks to review today", int64(h.RiskToReview), "/triage"},
			{"awaiting-triage", "referrals in the triage queue", int64(h.AwaitingTriage), "/triage"},
			{"red-amber", "open referrals rated red or amber, or with a possible risk", int64(h.RedAmber), "/triage?view=meeting"},
			{"deferred-due", "deferred referrals back in the queue", int64(h.DeferredDueBack), "/triage?view=meeting"},
			{"waiting-list", "people on the waiting list", int64(h.WaitingList), "/waiting-list"},
			{"open-cases", "people being supported now", int64(h.OpenCases), "/cases?status=active"},
		}
		p.Caseloads = h.Caseloads
	case linkwork.RoleCommunity:
		p.Stats = []stat{
			{"connections-to-me", "people referred to us, awaiting our answer", int64(h.ConnectionsToMe), "/connections"},
			{"my-listings", "our listings in the directory", int64(h.MyListings), ""},
			{"my-stale-listings", "our listings due a check", int64(h.MyStaleListings), "/directory/curate"},
		}
	case linkwork.RoleCommissioner:
		p.Stats = []stat{
			{"referrals-total", "referrals received", int64(h.ReferralsTotal), ""},
			{"accepted-total", "referrals accepted", int64(h.AcceptedTotal), ""},
			{"closed-cases", "episodes of support completed", int64(h.ClosedCases), ""},
		}
		for _, c := range h.ReferralsByPathway {
			share := "0%"
			if h.ReferralsTotal > 0 {
				share = fmt.Sprintf("%.1f%%", 100*float64(c.N)/float64(h.ReferralsTotal))
			}
			p.ByPathway = append(p.ByPathway, pathwayShare{Label: c.Label, N: c.N, Share: share})
		}
	case linkwork.RoleAdmin:
		p.Stats = []stat{
			{"users", "user accounts", int64(h.Users), "/admin/users"},
			{"disabled-users", "disabled accounts", int64(h.DisabledUsers), "/admin/users"},
			{"organisations", "organisations", int64(h.Organisations), "/admin/organisations"},
			{"audit-events", "audit events recorded", h.AuditEvents, "/admin/audit"},
		}
	}
	if !checksEveryListing(u) {
		// Listings due a check are the work of those who check any
		// listing, as the policy says; a GP or a commissioner has nothing
		// to do about them, and a community group sees its own above.
		directory = directory[:1]
	} else if auth.Allows(u.Role, auth.CurateListings) {
		directory[1].Href = "/directory/curate"
	}
	p.Stats = append(p.Stats, directory...)
	s.render(w, r, http.StatusOK, "home", p)
}

// checksEveryListing reports whether the policy lets u update a listing
// whoever runs it: the people the directory's checks fall to.
func checksEveryListing(u *linkwork.User) bool {
	return auth.Can(u.Actor(), auth.ActionUpdate, auth.Record{Kind: auth.KindAsset, AssetOrgIDs: []string{"any other organisation"}})
}

// morePage lists the pages a coordinator opens now and then, under More
// in the navigation: each one the policy lets the user open.
type morePage struct {
	Layout
	Links []moreLink
}

func (s *Server) morePage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "more", &morePage{Layout: Layout{Title: "More"}, Links: moreFor(currentUser(r).Role)})
}
