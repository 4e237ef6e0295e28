package orukio

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
)

// Store is what import and export read and write: the directory and the
// organisations. Calls are made with the caller's context, so its actor
// (the system, for the command line) is the one audited.
type Store struct {
	Assets linkwork.AssetService
	Orgs   linkwork.OrganisationService
	// Atomically runs fn so that what it saves through Assets and Orgs,
	// with the context it is given, is saved together when fn returns
	// nil and not at all when it fails (sqlstore's DB.Atomically).
	// ImportCSV needs it.
	Atomically func(ctx context.Context, fn func(context.Context) error) error
	// Docs, when set, keeps with each listing an import saves the service
	// as the feed sent it, and Export publishes it again (Published), so
	// that a feed imported and exported is the same feed. Without it an
	// import keeps only what linkwork models.
	Docs linkwork.ORUKDocumentService
}

// Result counts what an import did.
type Result struct {
	Created, Updated, Unchanged int
	OrgsCreated                 int
	// Skipped says why each service that could not be imported was left
	// out, naming the service and the field.
	Skipped []string
}

func (r Result) String() string {
	s := fmt.Sprintf("%d services created, %d updated, %d unchanged; %d organisations created", r.Created, r.Updated, r.Unchanged, r.OrgsCreated)
	if len(r.Skipped) > 0 {
		s += fmt.Sprintf("; %d skipped", len(r.Skipped))
	}
	return s
}

// ReadServices reads a feed: a JSON array of services, a page of them
// ({"contents": [...]}), a single service, an organization with its
// services (each given the organization when it names none), or a
// service at a location (its service, at that location).
func ReadServices(r io.Reader) ([]oruk.Service, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil, fmt.Errorf("the feed is empty")
	}
	var out []oruk.Service
	if b[0] == '[' {
		if err := json.Unmarshal(b, &out); err != nil {
			return nil, jsonErr(b, err)
		}
		return out, nil
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, jsonErr(b, err)
	}
	if c, ok := probe["contents"]; ok {
		if err := json.Unmarshal(c, &out); err != nil {
			return nil, jsonErr(c, err)
		}
		return out, nil
	}
	if _, ok := probe["services"]; ok && probe["service_at_locations"] == nil {
		var o oruk.Organization
		if err := json.Unmarshal(b, &o); err != nil {
			return nil, jsonErr(b, err)
		}
		org := o
		org.Services = nil
		for _, sv := range o.Services {
			if sv.Organization == nil && sv.OrganizationID == "" {
				sv.Organization = &org
			}
			out = append(out, sv)
		}
		return out, nil
	}
	if sj, ok := probe["service"]; ok && probe["name"] == nil {
		var sal oruk.ServiceAtLocation
		if err := json.Unmarshal(b, &sal); err != nil {
			return nil, jsonErr(b, err)
		}
		if sal.Service == nil {
			return nil, jsonErr(sj, fmt.Errorf("the service at a location has no service"))
		}
		sv := *sal.Service
		if sal.Location != nil {
			nested := sal
			nested.Service = nil
			sv.ServiceAtLocations = append(sv.ServiceAtLocations, nested)
		}
		return []oruk.Service{sv}, nil
	}
	var s oruk.Service
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, jsonErr(b, err)
	}
	return []oruk.Service{s}, nil
}

// jsonErr says where in the document a JSON error is, by line.
func jsonErr(b []byte, err error) error {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
		err = fmt.Errorf("field %s: cannot hold %s", e.Field, e.Value)
	}
	if off < 0 || off > int64(len(b)) {
		return err
	}
	return fmt.Errorf("line %d: %v", bytes.Count(b[:off], []byte("\n"))+1, err)
}

// Fetch reads a feed from a URL. When the URL answers with an ORUK API
// root ({"version": …}), it crawls the feed: every page of /services, then
// each service in full from /services/{id}.
func Fetch(ctx context.Context, c *http.Client, feed string) ([]oruk.Service, error) {
	body, err := get(ctx, c, feed)
	if err != nil {
		return nil, err
	}
	var root map[string]json.RawMessage
	if json.Unmarshal(body, &root) != nil || root["version"] == nil || root["contents"] != nil {
		return ReadServices(bytes.NewReader(body))
	}
	base := strings.TrimSuffix(feed, "/")
	var out []oruk.Service
	for page := 1; ; page++ {
		b, err := get(ctx, c, base+"/services?per_page=100&page="+strconv.Itoa(page))
		if err != nil {
			return nil, err
		}
		var p oruk.Page[oruk.Service]
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, fmt.Errorf("%s/services page %d: %v", base, page, err)
		}
		for _, item := range p.Contents {
			b, err := get(ctx, c, base+"/services/"+url.PathEscape(item.ID))
			if err != nil {
				return nil, err
			}
			var s oruk.Service
			if err := json.Unmarshal(b, &s); err != nil {
				return nil, fmt.Errorf("%s/services/%s: %v", base, item.ID, err)
			}
			out = append(out, s)
		}
		if p.LastPage || p.Empty || page >= p.TotalPages || page > 100000 {
			return out, nil
		}
	}
}

func get(ctx context.Context, c *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return b, nil
}

// Import saves services, creating or updating each by its id, and skips
// (listing in Result.Skipped) any that linkwork cannot hold: importing
// the same feed again updates, never duplicates. A service whose id is
// not a UUID is stored under a UUID v5 made from it, so it too is matched
// on the next import. An update keeps what linkwork holds that ORUK does
// not (how to join, youth-friendliness, languages, phone, …), and a
// service that has not changed is left alone (no new version).
func Import(ctx context.Context, st Store, services []oruk.Service, defaultCategory linkwork.Category) (Result, error) {
	var res Result
	shared := sharedIDs(services)
	for i, s := range services {
		skip := func(err error) {
			res.Skipped = append(res.Skipped, fmt.Sprintf("service %d (id %s, %q): %v", i+1, s.ID, s.Name, err))
		}
		imp, err := FromService(s, defaultCategory)
		if err != nil {
			skip(err)
			continue
		}
		unshare(imp.Asset, shared)
		if err := st.saveKept(ctx, s, imp, &res); err != nil {
			if !isFieldError(err) {
				return res, fmt.Errorf("service %d (%s): %w", i+1, s.ID, err)
			}
			skip(err)
		}
	}
	return res, nil
}

// saveKept saves an imported listing and, when the store keeps documents,
// the service as the feed sent it, together when the store can. A listing
// whose kept document changed though linkwork's fields did not (the feed
// changed only what linkwork does not model) counts as updated.
func (st Store) saveKept(ctx context.Context, s oruk.Service, imp Imported, res *Result) error {
	r := *res
	save := func(ctx context.Context) error {
		unchanged := r.Unchanged
		if err := st.Save(ctx, imp, &r); err != nil {
			return err
		}
		if st.Docs == nil {
			return nil
		}
		changed, err := st.keep(ctx, s, imp.Asset.ID)
		if err != nil {
			return err
		}
		if changed && r.Unchanged > unchanged {
			r.Unchanged--
			r.Updated++
		}
		return nil
	}
	var err error
	if st.Atomically != nil && st.Docs != nil {
		err = st.Atomically(ctx, save)
	} else {
		err = save(ctx)
	}
	if err == nil {
		*res = r
	}
	return err
}

// sharedIDs are the ids of locations, contacts and cost options that more
// than one service of a feed uses. ORUK shares a location between the
// services at it; linkwork keeps a copy with each listing, and each copy
// needs an id of its own.
func sharedIDs(services []oruk.Service) map[string]bool {
	seen := map[string]string{}
	shared := map[string]bool{}
	note := func(id, service string) {
		if id == "" {
			return
		}
		id = strings.ToLower(id)
		if by, ok := seen[id]; ok && by != service {
			shared[id] = true
		}
		seen[id] = service
	}
	for _, s := range services {
		for _, sal := range s.ServiceAtLocations {
			note(sal.ID, s.ID)
			if sal.Location != nil {
				note(sal.Location.ID, s.ID)
			}
		}
		for _, c := range s.Contacts {
			note(c.ID, s.ID)
		}
		for _, c := range s.CostOptions {
			note(c.ID, s.ID)
		}
	}
	return shared
}

// unshare gives a listing's copies of shared locations, contacts and cost
// options ids of their own, made from the listing's id and theirs, so they
// are the same on every import.
func unshare(a *linkwork.Asset, shared map[string]bool) {
	if len(shared) == 0 {
		return
	}
	for i := range a.Locations {
		if shared[a.Locations[i].ServiceAtLocationID] {
			a.Locations[i].ServiceAtLocationID = "" // linkwork makes one
		}
		if old := a.Locations[i].ID; shared[old] {
			a.Locations[i].ID = derive("shared_location", a.ID, old)
			for j := range a.Schedules {
				if a.Schedules[j].LocationID == old {
					a.Schedules[j].LocationID = a.Locations[i].ID
				}
			}
		}
	}
	for i := range a.Contacts {
		if shared[a.Contacts[i].ID] {
			a.Contacts[i].ID = derive("shared_contact", a.ID, a.Contacts[i].ID)
		}
	}
	for i := range a.CostOptions {
		if shared[a.CostOptions[i].ID] {
			a.CostOptions[i].ID = derive("shared_cost_option", a.ID, a.CostOptions[i].ID)
		}
	}
}

// Save creates or updates one imported listing and its organisation.
func (st Store) Save(ctx context.Context, imp Imported, res *Result) error {
	a := imp.Asset
	if imp.Org != nil {
		orgID, created, err := st.org(ctx, *imp.Org)
		if err != nil {
			return orgError{err}
		}
		a.OrgID = orgID
		if created {
			res.OrgsCreated++
		}
	}
	old, err := st.Assets.FindAssetByID(ctx, a.ID)
	switch {
	case linkwork.ErrorCode(err) == linkwork.ENOTFOUND:
		if err := st.Assets.CreateAsset(ctx, a); err != nil {
			return fieldError(err)
		}
		res.Created++
		return nil
	case err != nil:
		return err
	}
	if imp.FromCSV {
		keepCSVFields(a, old)
	} else {
		keepLinkworkFields(a, old)
	}
	*a = a.Normalised()
	keepPoints(a, old)
	if err := a.Validate(); err != nil {
		return fieldError(err)
	}
	if same(a, old) {
		res.Unchanged++
		return nil
	}
	a.Version = old.Version
	if err := st.Assets.UpdateAsset(ctx, a); err != nil {
		return fieldError(err)
	}
	res.Updated++
	return nil
}

// keepLinkworkFields copies onto a what ORUK does not carry.
// keepPoints gives a place the feed sends without a point the point it
// has already, when its postcode is the same: the store would keep it, so
// an update that changes nothing else is seen as unchanged.
func keepPoints(a, old *linkwork.Asset) {
	for i := range a.Locations {
		l := &a.Locations[i]
		if !l.Physical() || l.Lat != 0 || l.Lon != 0 {
			continue
		}
		if was := old.Location(l.ID); was != nil && was.Physical() && was.PostalCode == l.PostalCode {
			l.Lat, l.Lon = was.Lat, was.Lon
		}
	}
}

func keepLinkworkFields(a, old *linkwork.Asset) {
	if a.HowToJoin == linkwork.JoinSelfRefer {
		a.HowToJoin = old.HowToJoin
	}
	a.Phone = old.Phone
	a.YouthFriendly, a.BuddyWelcome = old.YouthFriendly, old.BuddyWelcome
	if len(a.Languages) == 0 {
		a.Languages = old.Languages
	}
	if a.Capacity.Available == nil {
		a.Capacity = old.Capacity
	}
	if a.AssuredBy == "" {
		a.AssuredBy = old.AssuredBy
	}
	if a.AssuredAt.IsZero() {
		a.AssuredAt = old.AssuredAt
	}
	if sameDay(a.AssuredAt, old.AssuredAt) {
		a.AssuredAt, a.VerifyBy = old.AssuredAt, old.VerifyBy
	}
	// Contacts keep their email and phone, which ORUK leaves out.
	for i := range a.Contacts {
		for _, c := range old.Contacts {
			if c.ID == a.Contacts[i].ID {
				a.Contacts[i].Email, a.Contacts[i].Phone = c.Email, c.Phone
			}
		}
	}
}

// keepCSVFields copies onto a what linkwork's CSV does not carry.
func keepCSVFields(a, old *linkwork.Asset) {
	a.Contacts = old.Contacts
	a.Capacity.Available, a.Capacity.Maximum, a.Capacity.Updated = old.Capacity.Available, old.Capacity.Maximum, old.Capacity.Updated
	a.AssuredAt, a.AssuredBy, a.VerifyBy = old.AssuredAt, old.AssuredBy, old.VerifyBy
	for i := range a.Schedules {
		for _, s := range old.Schedules {
			if s.Freq == a.Schedules[i].Freq && s.ByDay == a.Schedules[i].ByDay && s.OpensAt == a.Schedules[i].OpensAt {
				a.Schedules[i].Note = s.Note
			}
		}
	}
}

func sameDay(x, y time.Time) bool { return x.Format(time.DateOnly) == y.Format(time.DateOnly) }

// same reports whether an update would change nothing a feed carries.
func same(a, old *linkwork.Asset) bool {
	view := func(x *linkwork.Asset) []byte {
		s := Service(x, nil)
		s.LastModified = ""
		for i := range s.Capacities {
			s.Capacities[i].Updated = ""
		}
		b, _ := json.Marshal(struct {
			S            oruk.Service
			Org, Phone   string
			Status       linkwork.CapacityStatus
			Join         linkwork.HowToJoin
			Youth, Buddy bool
			Languages    []string
			Contacts     []string
		}{s, x.OrgID, x.Phone, x.Capacity.Status, x.HowToJoin, x.YouthFriendly, x.BuddyWelcome, x.Languages, contactDetails(x)})
		return b
	}
	return bytes.Equal(view(a), view(old))
}

func contactDetails(a *linkwork.Asset) []string {
	var out []string
	for _, c := range a.Contacts {
		out = append(out, c.Email, c.Phone)
	}
	return out
}

// org finds the organisation an imported service names, by id and then
// by name, creating a community organisation when there is none.
func (st Store) org(ctx context.Context, o oruk.Organization) (id string, created bool, err error) {
	if o.ID != "" {
		found, err := st.Orgs.FindOrganisationByID(ctx, ID("organisation", o.ID))
		if err == nil {
			return found.ID, false, nil
		}
		if linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
			return "", false, err
		}
	}
	name := strings.TrimSpace(o.Name)
	if name == "" {
		return "", false, nil
	}
	list, _, err := st.Orgs.FindOrganisations(ctx, linkwork.OrganisationFilter{Query: name, Limit: 100})
	if err != nil {
		return "", false, err
	}
	for _, x := range list {
		if strings.EqualFold(x.Name, name) {
			return x.ID, false, nil
		}
	}
	n := &linkwork.Organisation{Name: name, Kind: linkwork.OrgVCS, Email: email(o.Email)}
	if o.ID != "" {
		n.ID = ID("organisation", o.ID)
	}
	if err := st.Orgs.CreateOrganisation(ctx, n); err != nil {
		return "", false, fieldError(err)
	}
	return n.ID, true, nil
}

// importError is a service linkwork cannot hold, naming the field: the
// store's error, with its fields spelt out.
type importError struct {
	msg string
	err error
}

func (e *importError) Error() string { return e.msg }
func (e *importError) Unwrap() error { return e.err }

// orgError is the store's refusal of the organisation a service names.
type orgError struct{ err error }

func (e orgError) Error() string { return "organization: " + e.err.Error() }
func (e orgError) Unwrap() error { return e.err }

func isFieldError(err error) bool {
	_, ok := err.(*importError)
	return ok || linkwork.ErrorCode(err) == linkwork.EINVALID || linkwork.ErrorCode(err) == linkwork.ECONFLICT
}

// fieldError spells out a store's EINVALID with the fields at fault.
func fieldError(err error) error {
	fs := linkwork.ErrorFields(err)
	if len(fs) == 0 {
		return err
	}
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.Field+": "+f.Message)
	}
	return &importError{strings.Join(parts, "; "), err}
}

// Export reads every listing, whatever its status, as full ORUK services,
// in order of name: as linkwork publishes them (Published), so a listing
// imported from a feed is exported as the feed sent it, with what was
// changed in linkwork since.
func Export(ctx context.Context, st Store) ([]oruk.Service, error) {
	assets, err := All(ctx, st.Assets)
	if err != nil {
		return nil, err
	}
	orgs := map[string]*linkwork.Organisation{}
	return PublishedAll(ctx, st.Docs, assets, func(a *linkwork.Asset) (*linkwork.Organisation, error) {
		return st.orgOf(ctx, a, orgs)
	})
}

func (st Store) orgOf(ctx context.Context, a *linkwork.Asset, seen map[string]*linkwork.Organisation) (*linkwork.Organisation, error) {
	if a.OrgID == "" {
		return nil, nil
	}
	if o, ok := seen[a.OrgID]; ok {
		return o, nil
	}
	o, err := st.Orgs.FindOrganisationByID(ctx, a.OrgID)
	if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
		o, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	seen[a.OrgID] = o
	return o, nil
}

// All reads every listing, whatever its status, in order of name.
func All(ctx context.Context, assets linkwork.AssetService) ([]*linkwork.Asset, error) {
	var out []*linkwork.Asset
	f := linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, Limit: 500}
	for {
		list, total, err := assets.FindAssets(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, m := range list {
			out = append(out, m.Asset)
		}
		f.Offset += len(list)
		if len(list) == 0 || f.Offset >= total {
			return out, nil
		}
	}
}
