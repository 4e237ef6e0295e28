package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// FundService implements linkwork.FundService.
type FundService struct{ db *DB }

// NewFundService returns the fund service over db.
func NewFundService(db *DB) *FundService { return &FundService{db: db} }

var _ linkwork.FundService = (*FundService)(nil)

// fundColumns read a fund (aliased f) with what waits for a decision on
// it, summed from the index of its requests by status.
const fundColumns = "f.id, f.service_org_id, f.name, f.purpose, f.min_age, f.max_age, f.budget_pence, f.spent_pence, f.threshold_pence, f.starts_on, f.ends_on, f.created_by, f.created_at, " +
	"COALESCE((SELECT SUM(w.amount_pence) FROM fund_requests w WHERE w.fund_id = f.id AND w.status = 'requested'), 0)"

func scanFund(row scanner) (*linkwork.Fund, error) {
	var f linkwork.Fund
	err := row.Scan(&f.ID, &f.ServiceOrgID, &f.Name, &f.Purpose, &f.MinAge, &f.MaxAge, &f.BudgetPence, &f.SpentPence, &f.ThresholdPence,
		dateDest{&f.StartsOn}, dateDest{&f.EndsOn}, &f.CreatedBy, timeDest{&f.CreatedAt}, &f.WaitingPence)
	return &f, err
}

// CreateFund adds a fund to the actor's service (or, for the system, to
// the service it names).
func (s *FundService) CreateFund(ctx context.Context, f *linkwork.Fund) error {
	return s.db.update(ctx, func(tx *Tx) error {
		if f.ServiceOrgID == "" {
			f.ServiceOrgID = tx.actor.OrgID
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionCreate, auth.Record{Kind: auth.KindFund, ServiceOrgID: f.ServiceOrgID}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service's coordinators add funds")
		}
		f.ID, f.SpentPence, f.WaitingPence = uuid.NewString(), 0, 0
		f.CreatedBy, f.CreatedAt = tx.actor.UserID, tx.now
		if _, err := tx.exec(`INSERT INTO funds (id, service_org_id, name, purpose, min_age, max_age, budget_pence, spent_pence, threshold_pence, starts_on, ends_on, created_by, created_at)
			VALUES (`+placeholders(13)+`)`, f.ID, f.ServiceOrgID, f.Name, f.Purpose, f.MinAge, f.MaxAge, f.BudgetPence, 0, f.ThresholdPence,
			dv(f.StartsOn), dv(f.EndsOn), f.CreatedBy, f.CreatedAt); err != nil {
			return err
		}
		return tx.audit("fund.create", auth.KindFund, f.ID, fmt.Sprintf("%s budget %d threshold %d %s to %s", f.Name, f.BudgetPence, f.ThresholdPence, f.StartsOn, f.EndsOn))
	})
}

// FindFunds returns a page of the funds the actor may see, those whose
// period ends last first. Funds say nothing about anyone, so reading
// them is not audited.
func (s *FundService) FindFunds(ctx context.Context, f linkwork.FundFilter) ([]*linkwork.Fund, int, error) {
	var out []*linkwork.Fund
	var total int
	err := s.db.view(ctx, func(tx *Tx) error {
		var w where
		w.scope(tx.actor, auth.KindFund, "f")
		if !f.OpenOn.IsZero() {
			w.add("f.starts_on <= ? AND f.ends_on >= ?", dv(f.OpenOn), dv(f.OpenOn))
		}
		var err error
		out, total, err = queryPage(tx, "FROM funds f", "", w, "f.ends_on DESC, f.name, f.id", f.Offset, f.Limit, scanFund, fundColumns)
		return err
	})
	return out, total, err
}

// fundConnection is a connection as a request to a fund reads it, with
// what the policy and the rules ask of its case.
type fundConnection struct {
	c                           *linkwork.Connection
	serviceOrg, worker, caseSts string
}

// connectionForFund reads connection id for a request to a fund:
// ENOTFOUND when the actor may not see it.
func (tx *Tx) connectionForFund(id string) (*fundConnection, error) {
	var w where
	w.add("n.id = ?", id)
	w.scope(tx.actor, auth.KindConnection, "n")
	fc := &fundConnection{}
	var err error
	fc.c, err = scanConnection(tx.queryRow("SELECT "+connectionSelect+", ck.service_org_id, ck.link_worker_id, ck.status "+connectionFrom+" WHERE "+w.sql(), w.args...),
		&fc.serviceOrg, nullString{&fc.worker}, &fc.caseSts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Connection not found")
	}
	return fc, err
}

// fundOfService reads fund id of the service, as the one to pay from: a
// fund the actor may not see, or another service's, is one they cannot
// choose.
func (tx *Tx) fundOfService(id, serviceOrg string) (*linkwork.Fund, error) {
	var w where
	w.add("f.id = ?", id)
	w.add("f.service_org_id = ?", serviceOrg)
	w.scope(tx.actor, auth.KindFund, "f")
	f, err := scanFund(tx.queryRow("SELECT "+fundColumns+" FROM funds f WHERE "+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.FieldErr("fund_id", "Choose one of the service's funds")
	}
	return f, err
}

// spend takes amount pence from fund f towards connection, in the
// writer's transaction: one update that succeeds only while the fund
// stays within its budget, so that requests arriving together, on this
// server or another sharing the database, can never take it below zero
// (in PostgreSQL the update holds the fund's row until the commit, and
// one waiting for it reads the spend anew). When it does not succeed,
// the fund is read again to say what is left. The connection's
// FundPence follows.
func (tx *Tx) spend(f *linkwork.Fund, connectionID string, amount int) error {
	res, err := tx.exec("UPDATE funds SET spent_pence = spent_pence + ? WHERE id = ? AND spent_pence + ? <= budget_pence", amount, f.ID, amount)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		if err := tx.queryRow("SELECT budget_pence, spent_pence FROM funds WHERE id = ?", f.ID).Scan(&f.BudgetPence, &f.SpentPence); err != nil {
			return err
		}
		if err := f.CheckBalance(amount); err != nil {
			return err
		}
		return linkwork.Errorf(linkwork.ECONFLICT, "The fund was changed as you asked; please try again")
	}
	f.SpentPence += amount
	_, err = tx.exec("UPDATE connections SET fund_pence = fund_pence + ? WHERE id = ?", amount, connectionID)
	return err
}

// RequestFund asks a fund to pay towards a connection the actor works:
// paid at once up to the fund's threshold, otherwise waiting for a
// coordinator, whom it tells.
func (s *FundService) RequestFund(ctx context.Context, r *linkwork.FundRequest) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		fc, err := tx.connectionForFund(r.ConnectionID)
		if err != nil {
			return err
		}
		c := fc.c
		if !auth.Can(tx.actor, auth.ActionCreate, auth.Record{Kind: auth.KindFundRequest, ServiceOrgID: fc.serviceOrg, LinkWorkerID: fc.worker}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this connection but not ask a fund to pay towards it")
		}
		if linkwork.CaseStatus(fc.caseSts) == linkwork.CaseClosed {
			return linkwork.FieldErr("connection_id", "This case is closed: a fund pays only towards the connections of an open case")
		}
		f, err := tx.fundOfService(r.FundID, fc.serviceOrg)
		if err != nil {
			return err
		}
		var dob linkwork.Date
		if err := tx.queryRow("SELECT date_of_birth FROM people WHERE id = ?", c.PersonID).Scan(dateDest{&dob}); err != nil {
			return err
		}
		today := linkwork.DateOf(tx.now.In(ukTime))
		if err := f.CheckRequest(c, dob, today, r.AmountPence); err != nil {
			return err
		}
		r.ID, r.CaseID, r.PersonID, r.ServiceOrgID = uuid.NewString(), c.CaseID, c.PersonID, fc.serviceOrg
		r.RequestedBy, r.RequestedAt = tx.actor.UserID, tx.now
		r.FundName, r.PersonName, r.AssetName = f.Name, c.PersonName, c.AssetName
		r.Status, r.Reason, r.DecidedBy, r.DecidedAt = linkwork.FundRequested, "", "", time.Time{}
		if !f.NeedsDecision(r.AmountPence) {
			// Within the threshold: paid now, decided by nobody.
			r.Status, r.DecidedAt = linkwork.FundApproved, tx.now
		}
		// The event goes first: it takes the audit chain's head, which
		// every write takes before it touches a fund, so that two
		// servers' transactions never hold a fund and the head in
		// opposite orders. A refusal below rolls it back with the rest.
		if err := tx.appendAudit("fund_request.create", auth.KindFundRequest, r.ID, fmt.Sprintf("%s %d from %s: %s", r.Category, r.AmountPence, r.FundID, r.Status), r.ServiceOrgID); err != nil {
			return err
		}
		if r.Status == linkwork.FundApproved {
			if err := tx.spend(f, c.ID, r.AmountPence); err != nil {
				return err
			}
		}
		if _, err := tx.exec(`INSERT INTO fund_requests (id, fund_id, service_org_id, case_id, connection_id, category, amount_pence, note, status, reason, requested_by, requested_at, decided_by, decided_at)
			VALUES (`+placeholders(14)+`)`, r.ID, r.FundID, r.ServiceOrgID, r.CaseID, r.ConnectionID, string(r.Category), r.AmountPence, r.Note, string(r.Status), "",
			r.RequestedBy, r.RequestedAt, "", tv(r.DecidedAt)); err != nil {
			return err
		}
		if r.Status == linkwork.FundRequested {
			return tx.notifyFundRequestWaiting(r, f)
		}
		return nil
	})
}

// notifyFundRequestWaiting tells the service's coordinators that a
// request waits for their decision. In the app only: it names the
// person.
func (tx *Tx) notifyFundRequestWaiting(r *linkwork.FundRequest, f *linkwork.Fund) error {
	var who string
	if err := tx.queryRow("SELECT COALESCE((SELECT name FROM users WHERE id = ?), '')", r.RequestedBy).Scan(&who); err != nil {
		return err
	}
	if who == "" {
		who = "A link worker"
	}
	var coordinators []string
	err := tx.eachRow("SELECT id FROM users WHERE org_id = ? AND role = ? AND disabled = FALSE ORDER BY id", []any{r.ServiceOrgID, string(linkwork.RoleCoordinator)}, func(row scanner) error {
		var id string
		if err := row.Scan(&id); err != nil {
			return err
		}
		coordinators = append(coordinators, id)
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range coordinators {
		if err := tx.insertNotification(&linkwork.Notification{Kind: linkwork.NoteFundRequestWaiting, UserID: id, OrgID: r.ServiceOrgID,
			Subject: "A request to " + f.Name + " waits for your decision",
			Body: fmt.Sprintf("%s asks %s for %s (%s) towards %s at %s: %s", who, f.Name, linkwork.Pounds(r.AmountPence), strings.ToLower(r.Category.Label()),
				r.PersonName, r.AssetName, r.Note),
			Link: "/funds#waiting", CreatedAt: tx.now}); err != nil {
			return err
		}
	}
	return nil
}

// fundRequestColumns and fundRequestFrom read requests (aliased r) with
// the names of the fund, the person, the activity and those who asked
// and decided.
const (
	fundRequestColumns = "r.id, r.fund_id, r.service_org_id, r.case_id, r.connection_id, n.person_id, r.category, r.amount_pence, r.note, r.status, r.reason, " +
		"r.requested_by, r.requested_at, r.decided_by, r.decided_at, fn.name, p.given_name, p.preferred_name, p.family_name, a.name, COALESCE(ru.name, ''), COALESCE(du.name, '')"
	fundRequestTable = "FROM fund_requests r"
	fundRequestJoins = "JOIN funds fn ON fn.id = r.fund_id JOIN connections n ON n.id = r.connection_id JOIN people p ON p.id = n.person_id JOIN assets a ON a.id = n.asset_id " +
		"LEFT JOIN users ru ON ru.id = r.requested_by LEFT JOIN users du ON du.id = r.decided_by"
)

func scanFundRequest(row scanner) (*linkwork.FundRequest, error) {
	var r linkwork.FundRequest
	var category, status, given, preferred, family string
	err := row.Scan(&r.ID, &r.FundID, &r.ServiceOrgID, &r.CaseID, &r.ConnectionID, &r.PersonID, &category, &r.AmountPence, &r.Note, &status, &r.Reason,
		&r.RequestedBy, timeDest{&r.RequestedAt}, &r.DecidedBy, timeDest{&r.DecidedAt}, &r.FundName, &given, &preferred, &family, &r.AssetName, &r.RequestedByName, &r.DecidedByName)
	r.Category, r.Status = linkwork.FundCategory(category), linkwork.FundRequestStatus(status)
	r.PersonName = displayName(given, preferred, family)
	return &r, err
}

// FindFundRequests returns a page of the requests the actor may see,
// newest first.
func (s *FundService) FindFundRequests(ctx context.Context, f linkwork.FundRequestFilter) ([]*linkwork.FundRequest, int, error) {
	var out []*linkwork.FundRequest
	var total int
	err := s.db.audited(ctx, func(tx *Tx) error {
		w := fundRequestsWhere(tx.actor, f)
		var err error
		if out, total, err = queryPage(tx, fundRequestTable, fundRequestJoins, w, fundRequestOrder, f.Offset, f.Limit, scanFundRequest, fundRequestColumns); err != nil {
			return err
		}
		ids := make([]string, len(out))
		for i, r := range out {
			ids[i] = r.ID
		}
		return tx.auditList("fund_request.list", auth.KindFundRequest, ids)
	})
	return out, total, err
}

// fundRequestOrder is the order requests are listed in: newest first.
const fundRequestOrder = "r.requested_at DESC, r.id"

// fundRequestsWhere finds the requests the filter asks for among those
// the actor may see.
func fundRequestsWhere(a linkwork.Actor, f linkwork.FundRequestFilter) where {
	var w where
	w.scope(a, auth.KindFundRequest, "r")
	if f.CaseID != "" {
		w.add("r.case_id = ?", f.CaseID)
	}
	if f.ConnectionID != "" {
		w.add("r.connection_id = ?", f.ConnectionID)
	}
	if f.FundID != "" {
		w.add("r.fund_id = ?", f.FundID)
	}
	if len(f.Status) > 0 {
		w.add("r.status IN ("+placeholders(len(f.Status))+")", statusArgs(f.Status)...)
	}
	return w
}

// DecideFundRequest approves or declines a request waiting for a
// decision; an approval spends from the fund in the same transaction as
// the check that it has the money.
func (s *FundService) DecideFundRequest(ctx context.Context, id string, d linkwork.FundDecision) (*linkwork.FundRequest, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	d.Reason = strings.TrimSpace(d.Reason)
	var out *linkwork.FundRequest
	err := s.db.update(ctx, func(tx *Tx) error {
		var w where
		w.add("r.id = ?", id)
		w.scope(tx.actor, auth.KindFundRequest, "r")
		var worker, connStatus string
		r, err := scanFundRequestWith(tx.queryRow("SELECT "+fundRequestColumns+", ck.link_worker_id, n.status "+fundRequestTable+" "+fundRequestJoins+" JOIN cases ck ON ck.id = r.case_id WHERE "+w.sql(), w.args...),
			nullString{&worker}, &connStatus)
		if errors.Is(err, sql.ErrNoRows) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Request not found")
		}
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionDecide, auth.Record{Kind: auth.KindFundRequest, ServiceOrgID: r.ServiceOrgID, LinkWorkerID: worker}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service's coordinators decide requests to its funds")
		}
		if err := r.Status.CheckDecision(); err != nil {
			return err
		}
		var f *linkwork.Fund
		if d.To == linkwork.FundApproved {
			if f, err = scanFund(tx.queryRow("SELECT "+fundColumns+" FROM funds f WHERE f.id = ?", r.FundID)); err != nil {
				return err
			}
			c := &linkwork.Connection{ID: r.ConnectionID, Status: linkwork.ConnectionStatus(connStatus)}
			if err := f.CheckApproval(c, linkwork.DateOf(tx.now.In(ukTime)), r.AmountPence); err != nil {
				return err
			}
		}
		// The event first, as for a request (see RequestFund).
		if err := tx.audit("fund_request.decide", auth.KindFundRequest, id, string(d.To)); err != nil {
			return err
		}
		// Only a request still waiting is decided: of two coordinators
		// deciding at once, the second is told it was decided.
		res, err := tx.exec("UPDATE fund_requests SET status = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = ?",
			string(d.To), d.Reason, tx.actor.UserID, tx.now, id, string(linkwork.FundRequested))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			if err != nil {
				return err
			}
			return linkwork.Errorf(linkwork.ECONFLICT, "This request has just been decided by someone else")
		}
		if f != nil {
			if err := tx.spend(f, r.ConnectionID, r.AmountPence); err != nil {
				return err
			}
		}
		r.Status, r.Reason, r.DecidedBy, r.DecidedAt = d.To, d.Reason, tx.actor.UserID, tx.now
		if err := tx.queryRow("SELECT COALESCE((SELECT name FROM users WHERE id = ?), '')", tx.actor.UserID).Scan(&r.DecidedByName); err != nil {
			return err
		}
		out = r
		return tx.notifyFundRequestDecided(r)
	})
	return out, err
}

func scanFundRequestWith(row scanner, extra ...any) (*linkwork.FundRequest, error) {
	return scanFundRequest(extraScanner{row, extra})
}

// extraScanner scans a row into a scan's destinations and then extra
// ones, for a query that reads a few columns more.
type extraScanner struct {
	row   scanner
	extra []any
}

func (e extraScanner) Scan(dest ...any) error { return e.row.Scan(append(dest, e.extra...)...) }

// notifyFundRequestDecided tells whoever asked that their request was
// approved or declined, with the reason. In the app only.
func (tx *Tx) notifyFundRequestDecided(r *linkwork.FundRequest) error {
	if r.RequestedBy == "" || r.RequestedBy == tx.actor.UserID {
		return nil
	}
	body := fmt.Sprintf("%s will pay %s (%s) towards %s at %s.", r.FundName, linkwork.Pounds(r.AmountPence), strings.ToLower(r.Category.Label()), r.PersonName, r.AssetName)
	subject := "Approved: " + linkwork.Pounds(r.AmountPence) + " from " + r.FundName
	if r.Status == linkwork.FundDeclined {
		subject = "Declined: " + linkwork.Pounds(r.AmountPence) + " from " + r.FundName
		body = fmt.Sprintf("Your request to %s for %s towards %s at %s was declined: %s", r.FundName, linkwork.Pounds(r.AmountPence), r.PersonName, r.AssetName, r.Reason)
	}
	return tx.insertNotification(&linkwork.Notification{Kind: linkwork.NoteFundRequestDecided, UserID: r.RequestedBy, OrgID: r.ServiceOrgID,
		Subject: subject, Body: body, Link: "/cases/" + r.CaseID + "#connection-" + r.ConnectionID, CreatedAt: tx.now})
}

// SummariseFundSpend totals the approved requests the actor may see by
// category, and by person for those who spent most: each a grouped query
// over the service's requests by status (fund_requests_service).
func (s *FundService) SummariseFundSpend(ctx context.Context, people int) (*linkwork.FundSpendSummary, error) {
	if people <= 0 || people > linkwork.MaxPageSize {
		people = 20
	}
	out := &linkwork.FundSpendSummary{}
	err := s.db.audited(ctx, func(tx *Tx) error {
		var w where
		w.scope(tx.actor, auth.KindFundRequest, "r")
		w.add("r.status = ?", string(linkwork.FundApproved))
		err := tx.eachRow("SELECT r.category, SUM(r.amount_pence), COUNT(*) FROM fund_requests r WHERE "+w.sql()+" GROUP BY r.category ORDER BY SUM(r.amount_pence) DESC, r.category", w.args, func(row scanner) error {
			var sp linkwork.FundSpend
			if err := row.Scan(&sp.Key, &sp.Pence, &sp.Count); err != nil {
				return err
			}
			sp.Label = linkwork.FundCategory(sp.Key).Label()
			out.TotalPence += sp.Pence
			out.Count += sp.Count
			out.ByCategory = append(out.ByCategory, sp)
			return nil
		})
		if err != nil {
			return err
		}
		pw := w
		pw.scope(tx.actor, auth.KindPerson, "p")
		var ids []string
		err = tx.eachRow("SELECT p.id, p.given_name, p.preferred_name, p.family_name, SUM(r.amount_pence), COUNT(*) FROM fund_requests r JOIN connections n ON n.id = r.connection_id JOIN people p ON p.id = n.person_id WHERE "+pw.sql()+
			" GROUP BY p.id, p.given_name, p.preferred_name, p.family_name ORDER BY SUM(r.amount_pence) DESC, p.id LIMIT ?", append(pw.args, people), func(row scanner) error {
			var sp linkwork.FundSpend
			var given, preferred, family string
			if err := row.Scan(&sp.Key, &given, &preferred, &family, &sp.Pence, &sp.Count); err != nil {
				return err
			}
			sp.Label = displayName(given, preferred, family)
			ids = append(ids, sp.Key)
			out.ByPerson = append(out.ByPerson, sp)
			return nil
		})
		if err != nil {
			return err
		}
		if err := tx.audit("fund_request.summary", auth.KindFundRequest, "", ""); err != nil {
			return err
		}
		return tx.auditList("person.fund_spend", auth.KindPerson, ids)
	})
	return out, err
}
