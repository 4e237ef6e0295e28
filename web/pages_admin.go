package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

type usersPage struct {
	Layout
	Users   []*linkwork.User
	Orgs    map[string]string
	OrgList []*linkwork.Organisation
	Roles   []linkwork.Role
	Form    userForm
	Pager   pager
	CanEdit bool
}

type userForm struct {
	Name, Email, Role, OrgID string
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	p := &usersPage{Layout: Layout{Title: "Users"}}
	switch r.URL.Query().Get("done") {
	case "created":
		p.Notice = "The account has been created. Give the person their password in a safe way; they can change it from their account page."
	case "disabled":
		p.Notice = "The account has been disabled and signed out everywhere."
	case "enabled":
		p.Notice = "The account can sign in again."
	}
	s.showUsers(w, r, http.StatusOK, p)
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, status int, p *usersPage) {
	ctx := r.Context()
	pg := pageNumber(r.URL.Query().Get("page"))
	u := currentUser(r)
	p.CanEdit = auth.Allows(u.Role, auth.CreateUsers)
	if u.Role == linkwork.RoleCoordinator {
		p.Title = "Team"
	}
	list, total, err := s.svc.Users.FindUsers(ctx, linkwork.UserFilter{Offset: (pg - 1) * listSize, Limit: listSize})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Users = list
	p.Orgs = map[string]string{}
	orgs, _, err := s.svc.Organisations.FindOrganisations(ctx, linkwork.OrganisationFilter{Limit: 500})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	for _, o := range orgs {
		p.Orgs[o.ID] = o.Name
	}
	p.OrgList = orgs
	p.Roles = linkwork.Roles
	p.Pager = newPager(pg, listSize, total, func(n int) string { return "/admin/users?page=" + strconv.Itoa(n) })
	s.render(w, r, status, "users", p)
}

func (s *Server) createUserSubmit(w http.ResponseWriter, r *http.Request) {
	f := userForm{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Role: r.PostFormValue("role"), OrgID: r.PostFormValue("org_id")}
	u := &linkwork.User{Name: f.Name, Email: f.Email, Role: linkwork.Role(f.Role), OrgID: f.OrgID}
	if err := s.svc.Users.CreateUser(r.Context(), u, r.PostFormValue("password")); err != nil {
		code := linkwork.ErrorCode(err)
		if code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		p := &usersPage{Layout: Layout{Title: "Users", Errors: linkwork.ErrorFields(err)}, Form: f}
		if len(p.Errors) == 0 {
			p.Errors = []linkwork.FieldError{{Field: "email", Message: linkwork.ErrorMessage(err)}}
		}
		s.showUsers(w, r, ErrorStatus(err), p)
		return
	}
	http.Redirect(w, r, "/admin/users?done=created", http.StatusSeeOther)
}

func (s *Server) disableUserSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Users.DisableUser(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, false, err)
		return
	}
	http.Redirect(w, r, "/admin/users?done=disabled", http.StatusSeeOther)
}

func (s *Server) enableUserSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Users.EnableUser(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, false, err)
		return
	}
	http.Redirect(w, r, "/admin/users?done=enabled", http.StatusSeeOther)
}

type organisationsPage struct {
	Layout
	Organisations []*linkwork.Organisation
	Kinds         []linkwork.OrgKind
	Form          linkwork.Organisation
	Pager         pager
}

func (s *Server) organisationsPage(w http.ResponseWriter, r *http.Request) {
	p := &organisationsPage{Layout: Layout{Title: "Organisations"}}
	if r.URL.Query().Get("done") == "created" {
		p.Notice = "The organisation has been added."
	}
	s.showOrganisations(w, r, http.StatusOK, p)
}

func (s *Server) showOrganisations(w http.ResponseWriter, r *http.Request, status int, p *organisationsPage) {
	pg := pageNumber(r.URL.Query().Get("page"))
	list, total, err := s.svc.Organisations.FindOrganisations(r.Context(), linkwork.OrganisationFilter{Offset: (pg - 1) * listSize, Limit: listSize})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Organisations, p.Kinds = list, linkwork.OrgKinds
	p.Pager = newPager(pg, listSize, total, func(n int) string { return "/admin/organisations?page=" + strconv.Itoa(n) })
	s.render(w, r, status, "organisations", p)
}

func (s *Server) createOrganisationSubmit(w http.ResponseWriter, r *http.Request) {
	o := linkwork.Organisation{Name: strings.TrimSpace(r.PostFormValue("name")), Kind: linkwork.OrgKind(r.PostFormValue("kind")), Postcode: r.PostFormValue("postcode"),
		Address: r.PostFormValue("address"), Phone: r.PostFormValue("phone"), Email: r.PostFormValue("email"), Code: r.PostFormValue("code")}
	if err := s.svc.Organisations.CreateOrganisation(r.Context(), &o); err != nil {
		code := linkwork.ErrorCode(err)
		if code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		p := &organisationsPage{Layout: Layout{Title: "Organisations", Errors: linkwork.ErrorFields(err)}, Form: o}
		s.showOrganisations(w, r, ErrorStatus(err), p)
		return
	}
	http.Redirect(w, r, "/admin/organisations?done=created", http.StatusSeeOther)
}

type auditPage struct {
	Layout
	Events       []*linkwork.AuditEvent
	RecordID     string
	Verification *linkwork.AuditVerification
	CanVerify    bool
	Pager        pager
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	s.showAudit(w, r, &auditPage{Layout: Layout{Title: "Audit trail"}})
}

func (s *Server) showAudit(w http.ResponseWriter, r *http.Request, p *auditPage) {
	pg := pageNumber(r.URL.Query().Get("page"))
	p.RecordID = strings.TrimSpace(r.URL.Query().Get("record"))
	p.CanVerify = auth.Allows(currentUser(r).Role, auth.VerifyAudit)
	list, total, err := s.svc.Audit.FindAuditEvents(r.Context(), linkwork.AuditFilter{RecordID: p.RecordID, Offset: (pg - 1) * 50, Limit: 50})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Events = list
	p.Pager = newPager(pg, 50, total, func(n int) string {
		return "/admin/audit?" + url.Values{"page": {strconv.Itoa(n)}, "record": {p.RecordID}}.Encode()
	})
	s.render(w, r, http.StatusOK, "audit", p)
}

func (s *Server) verifyAuditSubmit(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.Audit.VerifyAudit(r.Context())
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.showAudit(w, r, &auditPage{Layout: Layout{Title: "Audit trail"}, Verification: v})
}

// auditRecordHref is the page of an audit event's record, for the kinds
// that have one, and only for a reader the policy lets open that page (the
// page itself still shows only what its reader may see); "" otherwise.
func auditRecordHref(u *linkwork.User, kind, id string) string {
	if id == "" || u == nil {
		return ""
	}
	var c auth.Capability
	var path string
	switch auth.Kind(kind) {
	case auth.KindReferral:
		c, path = auth.ReadReferrals, "/referrals/"
	case auth.KindCase:
		c, path = auth.ReadCases, "/cases/"
	case auth.KindAsset:
		return "/directory/" + url.PathEscape(id)
	default:
		return ""
	}
	if !auth.Allows(u.Role, c) {
		return ""
	}
	return path + url.PathEscape(id)
}

// organisationPage is one organisation and the form that changes it: an
// administrator's, to correct its details or set what it belongs to (the
// commissioner that funds a service, a practice's network).
type organisationPage struct {
	Layout
	Org     linkwork.Organisation
	Kinds   []option
	Parents []option
}

func (s *Server) organisationEditPage(w http.ResponseWriter, r *http.Request) {
	o, err := s.svc.Organisations.FindOrganisationByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p := &organisationPage{Org: *o}
	if r.URL.Query().Get("done") == "saved" {
		p.Notice = "The organisation has been saved."
	}
	s.showOrganisation(w, r, http.StatusOK, p)
}

// showOrganisation renders the form, its parent's choices those of the
// kinds the organisation's kind may belong to (any commissioner or
// network when its kind allows any).
func (s *Server) showOrganisation(w http.ResponseWriter, r *http.Request, status int, p *organisationPage) {
	p.Title = "Change " + p.Org.Name
	for _, k := range linkwork.OrgKinds {
		p.Kinds = append(p.Kinds, option{Value: string(k), Label: k.Label()})
	}
	kinds := p.Org.Kind.ParentKinds()
	if len(kinds) == 0 {
		kinds = []linkwork.OrgKind{linkwork.OrgCommissioner, linkwork.OrgPCN}
	}
	p.Parents = []option{{Value: "", Label: "None"}}
	held := p.Org.ParentID == ""
	for _, k := range kinds {
		list, _, err := s.svc.Organisations.FindOrganisations(r.Context(), linkwork.OrganisationFilter{Kind: k, Limit: linkwork.MaxPageSize})
		if err != nil {
			s.fail(w, r, false, err)
			return
		}
		for _, o := range list {
			if o.ID != p.Org.ID {
				p.Parents = append(p.Parents, option{Value: o.ID, Label: o.Name + " (" + strings.ToLower(o.Kind.Label()) + ")"})
				held = held || o.ID == p.Org.ParentID
			}
		}
	}
	if !held {
		// Its parent now, of a kind not offered: kept as a choice, so that
		// saving other details does not drop it unseen.
		if parent, err := s.svc.Organisations.FindOrganisationByID(r.Context(), p.Org.ParentID); err == nil {
			p.Parents = append(p.Parents, option{Value: parent.ID, Label: parent.Name + " (" + strings.ToLower(parent.Kind.Label()) + ")"})
		}
	}
	s.render(w, r, status, "organisation", p)
}

func (s *Server) organisationSubmit(w http.ResponseWriter, r *http.Request) {
	version, err := parseInt(r.PostFormValue("version"))
	if err != nil {
		s.fail(w, r, false, linkwork.Errorf(linkwork.EMALFORMED, "The form's version is not a number"))
		return
	}
	o := linkwork.Organisation{ID: r.PathValue("id"), Name: strings.TrimSpace(r.PostFormValue("name")), Kind: linkwork.OrgKind(r.PostFormValue("kind")),
		ParentID: r.PostFormValue("parent_id"), Code: strings.TrimSpace(r.PostFormValue("code")), Address: strings.TrimSpace(r.PostFormValue("address")),
		Postcode: r.PostFormValue("postcode"), Phone: strings.TrimSpace(r.PostFormValue("phone")), Email: r.PostFormValue("email"), Version: version}
	if err := s.svc.Organisations.UpdateOrganisation(r.Context(), &o); err != nil {
		code := linkwork.ErrorCode(err)
		if code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		p := &organisationPage{Org: o, Layout: Layout{Errors: linkwork.ErrorFields(err)}}
		if len(p.Errors) == 0 {
			// Saved by someone else since the form was read: the changes
			// are shown again over the version now held.
			cur, ferr := s.svc.Organisations.FindOrganisationByID(r.Context(), o.ID)
			if ferr != nil {
				s.fail(w, r, false, ferr)
				return
			}
			p.Org.Version = cur.Version
			p.Errors = []linkwork.FieldError{{Field: "name", Message: "Someone else saved this organisation after you opened it: check your changes below, then save again"}}
		}
		s.showOrganisation(w, r, ErrorStatus(err), p)
		return
	}
	http.Redirect(w, r, "/admin/organisations/"+url.PathEscape(o.ID)+"?done=saved", http.StatusSeeOther)
}
