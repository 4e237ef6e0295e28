package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/orukio"
)

// The directory as an HSDS tabular data package (orukio.WriteTabular):
// curators download it, and upload one to add and update listings, as
// "linkwork export tabular" and "linkwork import tabular" do. Reading,
// checking and saving are orukio's and the store's; the store asks the
// policy before each change, as it does for a listing edited by hand.

// maxPackageUpload bounds an uploaded package as sent (a zip); what it
// unpacks to is bounded by orukio.TabularMaxBytes.
const maxPackageUpload = 16 << 20

// routesDirectoryPackage registers the package's download, and the
// import page with its upload.
func (s *Server) routesDirectoryPackage() {
	s.handle("GET", "/directory/import", may(auth.CurateListings), s.directoryImportPage)
	s.handle("POST", "/directory/import", may(auth.CurateListings), s.directoryImportSubmit)
	s.handle("GET", "/api/v1/directory/package.zip", may(auth.CurateListings), s.apiDirectoryPackage)
}

// directoryImportPage is the import page: the upload and what the last
// upload did.
type directoryImportPage struct {
	Layout
	Result  *orukio.Result
	Ignored []string
}

func (s *Server) showDirectoryImport(w http.ResponseWriter, r *http.Request, status int, p *directoryImportPage) {
	p.Title = "Import and export the directory"
	s.render(w, r, status, "directory_import", p)
}

func (s *Server) directoryImportPage(w http.ResponseWriter, r *http.Request) {
	s.showDirectoryImport(w, r, http.StatusOK, &directoryImportPage{})
}

// directoryImportSubmit reads the uploaded package and imports its
// services; a package that cannot be read imports nothing and comes back
// with each problem named by file, row and column.
func (s *Server) directoryImportSubmit(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, msgs ...string) {
		p := &directoryImportPage{Layout: Layout{Message: "The package was not imported"}}
		for _, m := range msgs {
			p.Errors = append(p.Errors, linkwork.FieldError{Field: "package", Message: m})
		}
		s.showDirectoryImport(w, r, status, p)
	}
	zip, problem := uploadedFile(w, r, "package", maxPackageUpload)
	if problem != "" {
		fail(http.StatusBadRequest, problem)
		return
	}
	pkg, err := orukio.ReadTabularZip(bytes.NewReader(zip), int64(len(zip)))
	if err != nil {
		var msgs []string
		for _, e := range leafErrors(err) {
			msgs = append(msgs, e.Error())
		}
		fail(http.StatusUnprocessableEntity, msgs...)
		return
	}
	st := orukio.Store{Assets: s.svc.Assets, Orgs: s.svc.Organisations}
	res, err := orukio.Import(r.Context(), st, pkg.Services, linkwork.CategoryWellbeing)
	if err != nil {
		if c := linkwork.ErrorCode(err); c == linkwork.EINTERNAL || c == "" {
			s.fail(w, r, false, err)
			return
		}
		fail(ErrorStatus(err), fmt.Sprintf("The import stopped at %v; %s before it", err, res))
		return
	}
	p := &directoryImportPage{Result: &res, Ignored: pkg.Ignored}
	p.Notice = "Imported: " + res.String() + "."
	s.showDirectoryImport(w, r, http.StatusOK, p)
}

// uploadedFile reads the file sent in a multipart form's field name, up
// to most bytes; or says, for the person sending it, what is wrong.
func uploadedFile(w http.ResponseWriter, r *http.Request, name string, most int64) ([]byte, string) {
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if media != "multipart/form-data" {
		return nil, "Choose a package to upload: the form was not sent as a file upload"
	}
	r.Body = http.MaxBytesReader(w, r.Body, most+1<<20)
	parts, err := r.MultipartReader()
	if err != nil {
		return nil, unreadable
	}
	for {
		part, err := parts.NextPart()
		if err == io.EOF {
			return nil, "Choose a package to upload"
		}
		if err != nil {
			return nil, uploadProblem(err, most)
		}
		if part.FormName() != name {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, most+1))
		switch {
		case err != nil:
			return nil, uploadProblem(err, most)
		case int64(len(b)) > most:
			return nil, fmt.Sprintf("The package must be smaller than %d MB", most>>20)
		case len(b) == 0:
			return nil, "Choose a package to upload: the file chosen is empty"
		}
		return b, ""
	}
}

const unreadable = "The upload could not be read; choose the file and send it again"

func uploadProblem(err error, most int64) string {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return fmt.Sprintf("The package must be smaller than %d MB", most>>20)
	}
	return unreadable
}

// leafErrors are the errors err joins, or err.
func leafErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leafErrors(e)...)
		}
		return out
	}
	return []error{err}
}

// apiDirectoryPackage sends every listing the caller sees, whatever its
// status, as an HSDS tabular data package.
func (s *Server) apiDirectoryPackage(w http.ResponseWriter, r *http.Request) {
	st := orukio.Store{Assets: s.svc.Assets, Orgs: s.svc.Organisations}
	services, err := orukio.Export(r.Context(), st)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	now := s.cfg.Now()
	var buf bytes.Buffer
	if err := orukio.WriteTabular(&buf, orukio.Package{Services: services}, now); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="directory-`+now.In(ukTime).Format("2006-01-02")+`.zip"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}
