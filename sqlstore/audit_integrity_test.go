package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// testAuditKey is an audit key for tests: 32 bytes.
var testAuditKey = []byte("0123456789abcdef0123456789abcdef")

// eachKeyedWorld is eachWorld with the audit chain keyed from its first
// event.
func eachKeyedWorld(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Helper()
	eachWorldWith(t, sqlstore.Options{AuditKey: testAuditKey}, fn)
}

// sha256Event is an event's hash as linkwork computes an unkeyed one: what
// an attacker without the key, reading the open source, would compute.
func sha256Event(e *linkwork.AuditEvent) string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.ActorID, string(e.ActorRole), e.ActorOrgID,
		e.Action, e.RecordType, e.RecordID, e.Purpose, e.Detail, e.PrevHash,
	} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// rewriteFrom plays an attacker with write access to the database but not
// the key: it changes event seq's detail and hashes it and every later
// event again with SHA-256, marking them keyed or not, and moves the
// chain's head to the new end.
func rewriteFrom(t *testing.T, w *world, seq int64, keyed bool) {
	t.Helper()
	events, err := w.db.AuditEventsRaw()
	if err != nil {
		t.Fatal(err)
	}
	disableTriggers(t, w)
	prev := ""
	for _, e := range events {
		if e.Seq < seq {
			prev = e.Hash
			continue
		}
		if e.Seq == seq {
			e.Detail = "nothing to see here"
		}
		e.PrevHash = prev
		e.Hash = sha256Event(e)
		if err := w.db.Exec("UPDATE audit_events SET detail = ?, prev_hash = ?, hash = ?, keyed = ? WHERE seq = ?", e.Detail, e.PrevHash, e.Hash, keyed, e.Seq); err != nil {
			t.Fatal(err)
		}
		prev = e.Hash
	}
	if err := w.db.Exec("UPDATE audit_head SET hash = ?, keyed = ? WHERE id = 1", prev, keyed); err != nil {
		t.Fatal(err)
	}
}

// cutTail plays an attacker who deletes every event after seq and sets
// the chain's head to match, as if the chain had ended there.
func cutTail(t *testing.T, w *world, seq int64) {
	t.Helper()
	disableTriggers(t, w)
	if err := w.db.Exec("DELETE FROM audit_events WHERE seq > ?", seq); err != nil {
		t.Fatal(err)
	}
	if err := w.db.Exec("UPDATE audit_head SET seq = ?, hash = (SELECT hash FROM audit_events WHERE seq = ?) WHERE id = 1", seq, seq); err != nil {
		t.Fatal(err)
	}
}

func verify(t *testing.T, w *world, anchors ...linkwork.AuditCheckpoint) *linkwork.AuditVerification {
	t.Helper()
	v, err := w.audit.VerifyAudit(w.as(w.admin), anchors...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestKeyedAuditChainShowsRewriting(t *testing.T) {
	const at = 5 // the event rewritten
	for _, tt := range []struct {
		name  string
		keyed bool // whether the attacker marks rewritten events keyed
		want  string
	}{
		{"rewritten and hashed again as keyed", true, "event 5 has been changed"},
		{"rewritten and hashed again as unkeyed", false, "event 5 is not keyed, but the chain is keyed from event 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			eachKeyedWorld(t, func(t *testing.T, w *world) {
				w.refer(t, "Kit", "Keyed")
				if v := verify(t, w); !v.OK || v.KeyedFrom != 1 {
					t.Fatalf("a keyed chain before tampering: %+v", v)
				}
				rewriteFrom(t, w, at, tt.keyed)
				v := verify(t, w)
				if v.OK || v.BrokenAt != at || !strings.Contains(v.Problem, tt.want) {
					t.Fatalf("after rewriting event %d: %+v", at, v)
				}
			})
		})
	}
	t.Run("every event rewritten as unkeyed", func(t *testing.T) {
		eachKeyedWorld(t, func(t *testing.T, w *world) {
			w.refer(t, "Lou", "Keyed")
			anchor, err := w.audit.Checkpoint(w.sys)
			if err != nil {
				t.Fatal(err)
			}
			rewriteFrom(t, w, 1, false)
			if v := verify(t, w); v.OK || !strings.Contains(v.Problem, "no event is keyed, though the audit key was given") {
				t.Fatalf("a whole chain rewritten without the key: %+v", v)
			}
			if v := verify(t, w, *anchor); v.OK || v.BrokenAt != anchor.Seq || !strings.Contains(v.Problem, "is not the event the anchor recorded") {
				t.Fatalf("with the anchor: %+v", v)
			}
		})
	})
	t.Run("without a key the same rewriting goes unnoticed", func(t *testing.T) {
		// What an unkeyed chain is: it shows accidental change only.
		eachWorld(t, func(t *testing.T, w *world) {
			w.refer(t, "Max", "Unkeyed")
			rewriteFrom(t, w, at, false)
			if v := verify(t, w); !v.OK || v.KeyedFrom != 0 {
				t.Fatalf("%+v", v)
			}
		})
	})
}

func TestAuditAnchorShowsACutTail(t *testing.T) {
	eachKeyedWorld(t, func(t *testing.T, w *world) {
		w.refer(t, "Ned", "Anchored")
		anchor, err := w.audit.Checkpoint(w.sys)
		if err != nil {
			t.Fatal(err)
		}
		if anchor.Seq < 10 || len(anchor.MAC) != 64 {
			t.Fatalf("checkpoint %+v", anchor)
		}
		w.refer(t, "Ola", "Anchored")
		later, err := w.audit.Checkpoint(w.sys)
		if err != nil {
			t.Fatal(err)
		}
		if v := verify(t, w, *anchor, *later); !v.OK || v.Anchored != 2 {
			t.Fatalf("an intact chain with its anchor: %+v", v)
		}
		cutTail(t, w, anchor.Seq-3)
		t.Run("a keyed chain alone does not show it", func(t *testing.T) {
			if v := verify(t, w); !v.OK {
				t.Fatalf("%+v", v)
			}
		})
		t.Run("the anchor does", func(t *testing.T) {
			v := verify(t, w, *anchor, *later)
			// (Each verification adds an event: the chain now ends at
			// v.Events.)
			if v.OK || v.BrokenAt != v.Events+1 || v.Events >= anchor.Seq || !strings.Contains(v.Problem, "the anchor recorded event "+strconv.FormatInt(later.Seq, 10)) || !strings.Contains(v.Problem, "removed from the end") {
				t.Fatalf("%+v", v)
			}
		})
		t.Run("a checkpoint not signed with the key is refused", func(t *testing.T) {
			forged := *anchor
			forged.Seq = anchor.Seq - 3
			v := verify(t, w, forged)
			if v.OK || !strings.Contains(v.Problem, "not signed with this audit key") {
				t.Fatalf("%+v", v)
			}
		})
	})
}

func TestAuditKey(t *testing.T) {
	ctx := context.Background()
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			dsn := sqltest.DSN(t, dialect)
			open := func(key []byte) *sqlstore.DB {
				t.Helper()
				db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{AuditKey: key})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if _, err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return db
			}
			sys := linkwork.NewContext(ctx, linkwork.SystemActor("test"))
			addOrg := func(db *sqlstore.DB, name string) error {
				return sqlstore.NewOrganisationService(db).CreateOrganisation(sys, &linkwork.Organisation{Name: name, Kind: linkwork.OrgVCS})
			}
			if _, err := sqlstore.Open(ctx, dsn, sqlstore.Options{AuditKey: []byte("too short")}); err == nil || !strings.Contains(err.Error(), "at least 32") {
				t.Fatalf("a short key: %v", err)
			}
			plain := open(nil)
			for _, name := range []string{"Before One", "Before Two"} {
				if err := addOrg(plain, name); err != nil {
					t.Fatal(err)
				}
			}
			if err := plain.CheckAuditKey(ctx); err != nil {
				t.Fatalf("an unkeyed chain without a key: %v", err)
			}
			keyed := open(testAuditKey)
			t.Run("a key given to verify keys nothing", func(t *testing.T) {
				v, err := sqlstore.NewAuditService(keyed).VerifyAudit(sys)
				if err != nil || v.OK || !strings.Contains(v.Problem, "no linkwork has run with this key yet") {
					t.Fatalf("%+v %v", v, err)
				}
				if err := plain.CheckAuditKey(ctx); err != nil {
					t.Fatalf("verifying with a key keyed the chain: %v", err)
				}
			})
			t.Run("keying an unkeyed chain records where it begins", func(t *testing.T) {
				if err := keyed.CheckAuditKey(ctx); err != nil {
					t.Fatal(err)
				}
				if err := addOrg(keyed, "After"); err != nil {
					t.Fatal(err)
				}
				v, err := sqlstore.NewAuditService(keyed).VerifyAudit(sys)
				if err != nil || !v.OK || v.KeyedFrom != 4 {
					t.Fatalf("%+v %v", v, err)
				}
				events, err := keyed.AuditEventsRaw()
				if err != nil || events[2].Keyed || events[3].Action != "audit.keyed" || !events[3].Keyed || !events[4].Keyed {
					t.Fatalf("events 3 to 5: %+v %+v %+v %v", events[2], events[3], events[4], err)
				}
			})
			t.Run("a linkwork without the key neither starts nor writes", func(t *testing.T) {
				if err := plain.CheckAuditKey(ctx); !errors.Is(err, sqlstore.ErrAuditKeyMissing) {
					t.Fatalf("check: %v", err)
				}
				if err := addOrg(plain, "Unkeyed"); linkwork.ErrorCode(err) != linkwork.EINTERNAL {
					t.Fatalf("wrote to a keyed chain without the key: %v", err)
				}
				_, err := sqlstore.NewAuditService(plain).VerifyAudit(sys)
				wantCode(t, err, linkwork.EINVALID)
				_, err = sqlstore.NewAuditService(plain).Checkpoint(sys)
				wantCode(t, err, linkwork.EINVALID)
			})
			t.Run("another key is refused", func(t *testing.T) {
				other := open([]byte("another key, also thirty-two bytes long"))
				if err := other.CheckAuditKey(ctx); !errors.Is(err, sqlstore.ErrAuditKeyWrong) {
					t.Fatalf("check: %v", err)
				}
				v, err := sqlstore.NewAuditService(other).VerifyAudit(sys)
				if err != nil || v.OK || v.BrokenAt != 4 {
					t.Fatalf("verified with another key: %+v %v", v, err)
				}
				if err := addOrg(other, "Other key"); !errors.Is(err, sqlstore.ErrAuditKeyWrong) {
					t.Fatalf("added to the chain with another key: %v", err)
				}
				// Nothing was written with the other key.
				if err := keyed.CheckAuditKey(ctx); err != nil {
					t.Fatal(err)
				}
			})
			t.Run("only administrators take checkpoints", func(t *testing.T) {
				_, err := sqlstore.NewAuditService(keyed).Checkpoint(linkwork.NewContext(ctx, linkwork.Actor{UserID: "someone", OrgID: "org", Role: linkwork.RoleSafeguarding}))
				wantCode(t, err, linkwork.EFORBIDDEN)
			})
		})
	}
}

func TestSafeguardingLeadsReadTheirOwnServicesTrail(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		otherLead := &linkwork.User{Name: "otherlead", Email: "otherlead@example.org", Role: linkwork.RoleSafeguarding, OrgID: w.otherService.ID}
		if err := w.users.CreateUser(w.sys, otherLead, password); err != nil {
			t.Fatal(err)
		}
		// The GP practice refers to both services; each service's staff
		// read their own.
		mine := w.refer(t, "Pat", "Mine")
		theirs := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.otherService.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
			Reasons: "Isolated", WhatTheyWant: "Company", ConsentReferral: true, ConsentSharing: true, PersonAware: new(true)}
		if err := w.referrals.CreateReferral(w.as(w.referrer), theirs, newPerson("Quin", "Theirs")); err != nil {
			t.Fatal(err)
		}
		if _, err := w.people.FindPersonByID(w.as(w.linkWorker), mine.PersonID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.referrals.FindReferralByID(w.as(w.foreignCoord), theirs.ID); err != nil {
			t.Fatal(err)
		}
		// One list, by the GP, of referrals to both services.
		if _, _, err := w.referrals.FindReferrals(w.as(w.referrer), linkwork.ReferralFilter{Limit: 50}); err != nil {
			t.Fatal(err)
		}
		read := func(lead *linkwork.User, f linkwork.AuditFilter) []*linkwork.AuditEvent {
			t.Helper()
			f.Limit = 500
			events, total, err := w.audit.FindAuditEvents(w.as(lead), f)
			if err != nil || total != len(events) {
				t.Fatalf("%d of %d events: %v", len(events), total, err)
			}
			return events
		}
		for _, tt := range []struct {
			name          string
			lead          *linkwork.User
			own           *linkwork.Referral
			other         *linkwork.Referral
			staff, others *linkwork.User
		}{
			{"this service's lead", w.safeguarding, mine, theirs, w.linkWorker, w.foreignCoord},
			{"the other service's lead", otherLead, theirs, mine, w.foreignCoord, w.linkWorker},
		} {
			t.Run(tt.name, func(t *testing.T) {
				events := read(tt.lead, linkwork.AuditFilter{})
				var sawCreate, sawStaff, sawList bool
				for _, e := range events {
					if e.ServiceOrgID != tt.lead.OrgID || e.ActorID == tt.others.ID ||
						e.RecordID == tt.other.ID || e.RecordID == tt.other.PersonID || strings.Contains(e.Detail, tt.other.ID) {
						t.Errorf("sees another service's event: %+v", e)
					}
					sawCreate = sawCreate || e.Action == "referral.create" && e.RecordID == tt.own.ID && e.ActorID == w.referrer.ID
					sawStaff = sawStaff || e.ActorID == tt.staff.ID && e.Action != "session.login"
					sawList = sawList || e.Action == "referral.list" && e.ActorID == w.referrer.ID && strings.Contains(e.Detail, tt.own.ID)
				}
				if !sawCreate || !sawStaff || !sawList {
					t.Errorf("does not see their own service's events: the GP's referral %v, their staff's reads %v, the GP's list %v", sawCreate, sawStaff, sawList)
				}
				if got := read(tt.lead, linkwork.AuditFilter{RecordID: tt.other.ID}); len(got) != 0 {
					t.Errorf("finds the other referral's events by its id: %+v", got)
				}
			})
		}
		t.Run("administrators read every service's events", func(t *testing.T) {
			for _, r := range []*linkwork.Referral{mine, theirs} {
				if got := auditedActions(t, w, r.ID); !slices.Contains(got, "referral.create by "+w.referrer.ID) {
					t.Errorf("%s: %v", r.ID, got)
				}
			}
		})
	})
}

func TestAuditMigrationKeepsTheChainAndFindsEachEventsService(t *testing.T) {
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			db := openAtVersion(t, dialect, "audit_before_service", 10)
			now := time.Date(2026, 1, 5, 10, 0, 0, 123456000, time.UTC)
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{"INSERT INTO organisations (id, name, kind, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", []any{"svc", "Millbrook Social Prescribing", "sp_service", now, now}},
				{"INSERT INTO organisations (id, name, kind, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", []any{"gp", "Riverside Surgery", "gp_practice", now, now}},
				{"INSERT INTO people (id, service_org_id, given_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", []any{"p1", "svc", "Rae", now, now}},
				{"INSERT INTO referrals (id, service_org_id, person_id, pathway, mode, status, received_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", []any{"r1", "svc", "p1", "gp", "referral", "received", now, now}},
			} {
				if err := db.Exec(q.sql, q.args...); err != nil {
					t.Fatal(err)
				}
			}
			// Two events as an older linkwork wrote them: a GP's read of
			// the service's referral, and a login by the service's staff.
			old := []*linkwork.AuditEvent{
				{Seq: 1, At: now, ActorID: "u-gp", ActorRole: linkwork.RoleReferrer, ActorOrgID: "gp", Action: "referral.read", RecordType: "referral", RecordID: "r1"},
				{Seq: 2, At: now, ActorID: "u-lw", ActorRole: linkwork.RoleLinkWorker, ActorOrgID: "svc", Action: "session.login", RecordType: "user", RecordID: "u-lw"},
			}
			prev := ""
			for _, e := range old {
				e.PrevHash = prev
				e.Hash = sha256Event(e)
				prev = e.Hash
				if err := db.Exec(`INSERT INTO audit_events (seq, at, actor_id, actor_role, actor_org_id, action, record_type, record_id, purpose, detail, prev_hash, hash)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?)`, e.Seq, e.At, e.ActorID, string(e.ActorRole), e.ActorOrgID, e.Action, e.RecordType, e.RecordID, e.PrevHash, e.Hash); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Exec("UPDATE audit_head SET seq = 2, hash = ? WHERE id = 1", prev); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
			v, err := sqlstore.NewAuditService(db).VerifyAudit(sys)
			if err != nil || !v.OK || v.KeyedFrom != 0 {
				t.Fatalf("the chain an older linkwork wrote: %+v %v", v, err)
			}
			events, err := db.AuditEventsRaw()
			if err != nil {
				t.Fatal(err)
			}
			if events[0].ServiceOrgID != "svc" || events[1].ServiceOrgID != "svc" {
				t.Errorf("services %q %q, want the referral's service, and the actor's", events[0].ServiceOrgID, events[1].ServiceOrgID)
			}
			if err := db.Exec("UPDATE audit_events SET detail = 'x' WHERE seq = 1"); err == nil {
				t.Error("the trail is no longer append-only after the migration")
			}
		})
	}
}
