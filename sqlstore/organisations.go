package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// OrganisationService implements linkwork.OrganisationService.
type OrganisationService struct{ db *DB }

// NewOrganisationService returns the organisation service over db.
func NewOrganisationService(db *DB) *OrganisationService { return &OrganisationService{db: db} }

var _ linkwork.OrganisationService = (*OrganisationService)(nil)

const orgColumns = "id, name, kind, parent_id, code, address, postcode, phone, email, version, created_at, updated_at"

func scanOrg(row scanner) (*linkwork.Organisation, error) {
	var o linkwork.Organisation
	var kind string
	err := row.Scan(&o.ID, &o.Name, &kind, nullString{&o.ParentID}, &o.Code, &o.Address, &o.Postcode, &o.Phone, &o.Email, &o.Version, timeDest{&o.CreatedAt}, timeDest{&o.UpdatedAt})
	o.Kind = linkwork.OrgKind(kind)
	return &o, err
}

// CreateOrganisation stores o. Administrators and the system only.
func (s *OrganisationService) CreateOrganisation(ctx context.Context, o *linkwork.Organisation) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if !auth.Can(tx.actor, auth.ActionCreate, auth.Record{Kind: auth.KindOrganisation}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only administrators can add organisations")
		}
		return tx.insertOrg(o)
	})
}

func (tx *Tx) insertOrg(o *linkwork.Organisation) error {
	if err := tx.checkParent(o); err != nil {
		return err
	}
	if o.ID == "" {
		o.ID = uuid.NewString()
	}
	o.Postcode = linkwork.NormalisePostcode(o.Postcode)
	o.Version, o.CreatedAt, o.UpdatedAt = 1, tx.now, tx.now
	_, err := tx.exec("INSERT INTO organisations ("+orgColumns+") VALUES ("+placeholders(12)+")",
		o.ID, o.Name, string(o.Kind), sv(o.ParentID), o.Code, o.Address, o.Postcode, o.Phone, o.Email, o.Version, o.CreatedAt, o.UpdatedAt)
	if err != nil {
		if linkwork.ErrorCode(tx.db.wrap(err)) == linkwork.ECONFLICT {
			return sameNameErr(o, err)
		}
		return err
	}
	return tx.audit("organisation.create", auth.KindOrganisation, o.ID, o.Name)
}

// FindOrganisationByID returns one organisation.
func (s *OrganisationService) FindOrganisationByID(ctx context.Context, id string) (*linkwork.Organisation, error) {
	var o *linkwork.Organisation
	err := s.db.view(ctx, func(tx *Tx) error {
		var err error
		o, err = tx.findOrg(id)
		return err
	})
	return o, err
}

func (tx *Tx) findOrg(id string) (*linkwork.Organisation, error) {
	o, err := scanOrg(tx.queryRow("SELECT "+orgColumns+" FROM organisations WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Organisation not found")
	}
	return o, err
}

// FindOrganisations returns a page of organisations, by name.
func (s *OrganisationService) FindOrganisations(ctx context.Context, f linkwork.OrganisationFilter) ([]*linkwork.Organisation, int, error) {
	var out []*linkwork.Organisation
	var total int
	err := s.db.view(ctx, func(tx *Tx) error {
		var w where
		if f.Kind != "" {
			w.add("kind = ?", string(f.Kind))
		}
		if f.Query != "" {
			w.add("lower(name) LIKE ?", likePattern(f.Query))
		}
		var err error
		out, total, err = queryPage(tx, "FROM organisations", "", w, "name, id", f.Offset, f.Limit, scanOrg, orgColumns)
		return err
	})
	return out, total, err
}

// UpdateOrganisation saves changes to o at its version.
func (s *OrganisationService) UpdateOrganisation(ctx context.Context, o *linkwork.Organisation) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if o.Version < 1 {
		return linkwork.FieldErr("version", "Send the version you read, 1 or more")
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if !auth.Can(tx.actor, auth.ActionUpdate, auth.Record{Kind: auth.KindOrganisation}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only administrators can change organisations")
		}
		if err := tx.checkParent(o); err != nil {
			return err
		}
		o.Postcode = linkwork.NormalisePostcode(o.Postcode)
		res, err := tx.exec(`UPDATE organisations SET name = ?, kind = ?, parent_id = ?, code = ?, address = ?, postcode = ?, phone = ?, email = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			o.Name, string(o.Kind), sv(o.ParentID), o.Code, o.Address, o.Postcode, o.Phone, o.Email, tx.now, o.ID, o.Version)
		if err != nil {
			if linkwork.ErrorCode(tx.db.wrap(err)) == linkwork.ECONFLICT {
				return sameNameErr(o, err)
			}
			return err
		}
		if err := tx.mustAffect(res, "organisations", o.ID, "Organisation"); err != nil {
			return err
		}
		o.Version++
		o.UpdatedAt = tx.now
		return tx.audit("organisation.update", auth.KindOrganisation, o.ID, "")
	})
}

// checkParent checks that an organisation's parent exists and is not the
// organisation itself.
func (tx *Tx) checkParent(o *linkwork.Organisation) error {
	if o.ParentID == "" {
		return nil
	}
	bad := func(msg string) error {
		return linkwork.FieldErr("parent_id", msg)
	}
	if o.ParentID == o.ID {
		return bad("An organisation cannot be its own parent")
	}
	parent, err := tx.findOrg(o.ParentID)
	if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
		return bad("Choose a parent organisation that exists")
	}
	if err != nil {
		return err
	}
	return o.CheckParent(parent)
}

// sameNameErr is the conflict of an organisation named as another of its
// kind is.
func sameNameErr(o *linkwork.Organisation, err error) error {
	return &linkwork.Error{Code: linkwork.ECONFLICT, Message: "There is already a " + o.Kind.Label() + " with that name", Fields: []linkwork.FieldError{{Field: "name", Message: "Choose a name no other " + o.Kind.Label() + " has"}}, Err: err}
}
