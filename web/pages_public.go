package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// The public referral form: no account, a phone in a school corridor, and
// a 14-year-old who may never have heard the words "social prescribing".
// Spam is kept out without a CAPTCHA: a field people never see (bots fill
// it in), a minimum time between showing the form and sending it, and a
// limit on referrals from one address an hour. None of them loses what a
// person typed: the form comes back filled in.

// publicWho is one variant of the public form.
type publicWho struct {
	Key     string
	Pathway linkwork.Pathway
	Title   string
}

var publicVariants = []publicWho{
	{"young-person", linkwork.PathwaySelf, "Ask for support for yourself"},
	{"adult", linkwork.PathwaySelf, "Refer yourself"},
	{"family", linkwork.PathwayFamily, "Refer someone in your family"},
}

func findVariant(key string) (publicWho, bool) {
	for _, v := range publicVariants {
		if v.Key == key {
			return v, true
		}
	}
	return publicWho{}, false
}

type referStartPage struct {
	Layout
	Settings *linkwork.ServiceSettings
}

func (s *Server) referStartPage(w http.ResponseWriter, r *http.Request) {
	p := &referStartPage{Layout: Layout{Title: "Get support from a link worker"}}
	services, err := s.svc.Triage.Services(r.Context())
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if len(services) > 0 {
		p.Settings = services[0]
	} else {
		p.Settings = linkwork.DefaultServiceSettings("")
	}
	s.render(w, r, http.StatusOK, "refer_start", p)
}

type publicReferralPage struct {
	Layout
	Who      publicWho
	Form     referralForm
	Settings *linkwork.ServiceSettings
	Services []option
	Started  string
}

func (s *Server) publicReferralPage(w http.ResponseWriter, r *http.Request) {
	who, ok := findVariant(r.PathValue("who"))
	if !ok {
		s.fail(w, r, false, linkwork.Errorf(linkwork.ENOTFOUND, "Page not found. Start again from the referral page."))
		return
	}
	p := &publicReferralPage{Layout: Layout{Title: who.Title}, Who: who}
	s.showPublicForm(w, r, http.StatusOK, p)
}

func (s *Server) showPublicForm(w http.ResponseWriter, r *http.Request, status int, p *publicReferralPage) {
	services, err := s.svc.Triage.Services(r.Context())
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	for _, sv := range services {
		if !sv.Accepts(p.Who.Pathway) {
			continue
		}
		p.Services = append(p.Services, option{Value: sv.ServiceOrgID, Label: sv.ServiceName})
		if sv.ServiceOrgID == p.Form.ServiceOrgID || p.Settings == nil {
			p.Settings = sv
		}
	}
	if p.Settings == nil {
		p.Settings = linkwork.DefaultServiceSettings("")
	}
	if p.Form.ServiceOrgID == "" {
		p.Form.ServiceOrgID = p.Settings.ServiceOrgID
	}
	p.Started = s.formToken(s.cfg.Now())
	s.render(w, r, status, "refer_form", p)
}

func (s *Server) publicReferralSubmit(w http.ResponseWriter, r *http.Request) {
	who, ok := findVariant(r.PathValue("who"))
	if !ok {
		s.fail(w, r, false, linkwork.Errorf(linkwork.ENOTFOUND, "Page not found. Start again from the referral page."))
		return
	}
	f := readReferralForm(r)
	if f.ServiceOrgID == "" {
		only, err := s.onlyService(r.Context())
		if err != nil {
			s.fail(w, r, false, err)
			return
		}
		f.ServiceOrgID = only
	}
	f.Pathway, f.Mode = string(who.Pathway), string(linkwork.ModeSelfReferral)
	if who.Pathway == linkwork.PathwaySelf {
		f.PersonAware = "yes"
	}
	// A bot fills in the field people never see: tell it all went well
	// and keep nothing.
	if r.PostFormValue("website") != "" {
		s.cfg.Logger.Warn("public referral dropped: hidden field filled in", "ip", clientIP(r))
		http.Redirect(w, r, "/refer/sent?who="+who.Key, http.StatusSeeOther)
		return
	}
	ref, person, formProblems := f.build()
	if err := ref.ValidatePublic(person); err != nil {
		for _, fe := range linkwork.ErrorFields(err) {
			if !formProblems.Has(fe.Field) {
				formProblems.Add(fe.Field, fe.Message)
			}
		}
	}
	show := func(status int, errs []linkwork.FieldError, message string) {
		p := &publicReferralPage{Layout: Layout{Title: who.Title, Errors: errs, Message: message}, Who: who, Form: f}
		s.showPublicForm(w, r, status, p)
	}
	if len(formProblems) > 0 {
		err := s.validateOnly(ref, person)
		show(http.StatusUnprocessableEntity, formErrors(formProblems, err), "")
		return
	}
	// Too quick for a person: send the form back, filled in, to check.
	if started, ok := s.checkFormToken(r.PostFormValue("started")); ok && s.cfg.Now().Sub(started) < s.cfg.PublicFormMinTime {
		show(http.StatusUnprocessableEntity, []linkwork.FieldError{{Field: "consent_referral",
			Message: "Your form came to us too quickly for us to be sure a person sent it, so it has not been sent yet. Your answers are still here: check them, then press Send again"}},
			"Your form has not been sent yet")
		return
	}
	if !s.publicLimits.allow(clientIP(r), "public-referral") {
		show(http.StatusTooManyRequests, []linkwork.FieldError{{Field: "consent_referral", Message: "A lot of forms have been sent from this connection. Your answers are still here: try again in an hour, or contact us directly."}}, "Too many forms sent")
		return
	}
	if err := s.svc.Referrals.SubmitPublicReferral(r.Context(), ref, person); err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		show(http.StatusUnprocessableEntity, linkwork.ErrorFields(err), "")
		return
	}
	to := "/refer/sent?who=" + who.Key + "&ref=" + ref.Reference() + "&service=" + ref.ServiceOrgID
	if ref.Risk.State == linkwork.RiskReviewToday {
		// Opaque, so that a shared phone's history does not say why.
		to += "&k=" + s.sign("read-today:"+ref.Reference())
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

type referSentPage struct {
	Layout
	Who       publicWho
	Reference string
	Settings  *linkwork.ServiceSettings
	// ReadToday: the form disclosed a possible risk, and is read today.
	ReadToday bool
	WhatNext  string
}

var referenceRE = regexp.MustCompile(`^LW-[0-9A-F]{8}$`)

func (s *Server) referSentPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	who, _ := findVariant(q.Get("who"))
	p := &referSentPage{Layout: Layout{Title: "Your form has been sent"}, Who: who}
	if ref := q.Get("ref"); referenceRE.MatchString(ref) {
		p.Reference = ref
	}
	// Any k is taken as read today, even one this server cannot check
	// (signed with another key): showing the crisis numbers first never
	// harms, telling someone at risk to wait days might.
	p.ReadToday = q.Get("k") != ""
	sent := &linkwork.Referral{}
	if p.ReadToday {
		sent.Risk.State = linkwork.RiskReviewToday
	}
	p.WhatNext = linkwork.PublicWhatNext(sent)
	// The page says what happens next and where to turn in a crisis: it
	// is shown whatever fails, with the default service's words.
	p.Settings = linkwork.DefaultServiceSettings("")
	if st, err := s.svc.Triage.ServiceSettings(r.Context(), q.Get("service")); err == nil {
		p.Settings = st
	} else if services, err := s.svc.Triage.Services(r.Context()); err != nil {
		s.logMissing(r, "the service's settings", err)
	} else if len(services) > 0 {
		p.Settings = services[0]
	}
	s.render(w, r, http.StatusOK, "refer_sent", p)
}

// formToken signs the time a form was shown, so the server can tell how
// long it took to fill in without keeping anything.
func (s *Server) formToken(t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return ts + "." + s.sign(ts)
}

// sign is a MAC of msg under the form key, which every server on the
// database shares (Config.FormKey).
func (s *Server) sign(msg string) string {
	m := hmac.New(sha256.New, s.formKey)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// checkFormToken returns when the form was shown; ok is false for a token
// not signed with this server's form key (such as one from a server
// without the shared key), which is then not held against the sender.
func (s *Server) checkFormToken(tok string) (time.Time, bool) {
	ts, sig, found := strings.Cut(tok, ".")
	if !found {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	if !hmac.Equal([]byte(s.formToken(time.Unix(n, 0))), []byte(ts+"."+sig)) {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}
