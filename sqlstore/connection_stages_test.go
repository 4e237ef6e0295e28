package sqlstore_test

import (
	"slices"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

func TestConnectionStages(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		boxing := newAsset(w.vcs, "Youth Boxing")
		if err := w.assets.CreateAsset(w.as(w.coordinator), boxing); err != nil {
			t.Fatal(err)
		}
		k := w.accept(t, w.refer(t, "Eli", "Ward"), w.linkWorker)
		w.agreeToShare(t, k.PersonID)
		ctx := w.as(w.linkWorker)
		phased := &linkwork.Connection{CaseID: k.ID, AssetID: boxing.ID, Level: linkwork.LevelPhased}
		buddy := &linkwork.Connection{CaseID: k.ID, AssetID: boxing.ID, Level: linkwork.LevelBuddy}
		for _, c := range []*linkwork.Connection{phased, buddy} {
			if err := w.connections.CreateConnection(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.connections.MoveConnection(ctx, phased.ID, linkwork.ConnectionMove{To: linkwork.ConnContacted, Version: phased.Version}); err != nil {
			t.Fatal(err)
		}
		today := linkwork.DateOf(w.clock.Now().In(time.UTC))
		stage := func(s linkwork.HandOverStage) *linkwork.ConnectionStage { return &linkwork.ConnectionStage{Stage: s} }
		t.Run("only those who work the case record a stage", func(t *testing.T) {
			wantCode(t, w.connections.RecordStage(w.as(w.otherWorker), phased.ID, stage(linkwork.StageWholeSession)), linkwork.ENOTFOUND)
			wantCode(t, w.connections.RecordStage(w.as(w.community), phased.ID, stage(linkwork.StageWholeSession)), linkwork.EFORBIDDEN)
		})
		t.Run("a connection that is not phased has no stages", func(t *testing.T) {
			wantField(t, w.connections.RecordStage(ctx, buddy.ID, stage(linkwork.StageWholeSession)), "stage")
		})
		t.Run("stages go in order, each once, dated today unless said", func(t *testing.T) {
			wantField(t, w.connections.RecordStage(ctx, phased.ID, stage(linkwork.StageAtTheDoor)), "stage")
			first := stage(linkwork.StageWholeSession)
			first.On = linkwork.DateOf(today.Time().AddDate(0, 0, -7))
			first.Note = "Stayed with her throughout"
			if err := w.connections.RecordStage(ctx, phased.ID, first); err != nil {
				t.Fatal(err)
			}
			wantField(t, w.connections.RecordStage(ctx, phased.ID, stage(linkwork.StageWholeSession)), "stage")
			early := stage(linkwork.StageAtTheDoor)
			early.On = linkwork.DateOf(today.Time().AddDate(0, 0, -8))
			wantField(t, w.connections.RecordStage(ctx, phased.ID, early), "on")
			future := stage(linkwork.StageAtTheDoor)
			future.On = linkwork.DateOf(today.Time().AddDate(0, 0, 2))
			wantField(t, w.connections.RecordStage(ctx, phased.ID, future), "on")
			for _, s := range []linkwork.HandOverStage{linkwork.StageAtTheDoor, linkwork.StageAlone} {
				w.clock.Advance(time.Second)
				if err := w.connections.RecordStage(w.as(w.coordinator), phased.ID, stage(s)); err != nil {
					t.Fatal(err)
				}
			}
			wantField(t, w.connections.RecordStage(ctx, phased.ID, stage(linkwork.StageAlone)), "stage")
		})
		t.Run("the stages show in the case's history, and reading them is audited", func(t *testing.T) {
			got, err := w.connections.FindConnectionStages(ctx, k.ID)
			if err != nil {
				t.Fatal(err)
			}
			var stages []linkwork.HandOverStage
			for _, s := range got {
				stages = append(stages, s.Stage)
			}
			if !slices.Equal(stages, linkwork.HandOverStages) || got[0].Note != "Stayed with her throughout" || got[0].ByName != w.linkWorker.Name || got[2].On != linkwork.DateOf(w.clock.Now().In(time.UTC)) || got[2].ByName != w.coordinator.Name {
				t.Fatalf("stages %+v", got)
			}
			if got, err := w.connections.FindConnectionStages(w.as(w.otherWorker), k.ID); err != nil || len(got) != 0 {
				t.Fatalf("another worker reads %d stages, %v", len(got), err)
			}
			acts := auditedActions(t, w, phased.ID)
			if !slices.Contains(acts, "connection.stage by "+w.linkWorker.ID) || !slices.Contains(acts, "connection.stage by "+w.coordinator.ID) {
				t.Fatalf("audit %v", acts)
			}
			if !slices.Contains(auditedActions(t, w, k.ID), "connection.stages by "+w.linkWorker.ID) {
				t.Fatalf("reading the stages is not audited")
			}
		})
	})
}

func TestPersonsViewOfAnActivity(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		boxing := newAsset(w.vcs, "Youth Boxing")
		arts := newAsset(w.otherVCS, "Open Studio")
		for _, a := range []*linkwork.Asset{boxing, arts} {
			if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
				t.Fatal(err)
			}
		}
		k := w.accept(t, w.refer(t, "Eli", "Ward"), w.linkWorker)
		w.agreeToShare(t, k.PersonID)
		ctx := w.as(w.linkWorker)
		connect := func(a *linkwork.Asset, to ...linkwork.ConnectionStatus) *linkwork.Connection {
			t.Helper()
			c := &linkwork.Connection{CaseID: k.ID, AssetID: a.ID, Level: linkwork.LevelRefer}
			if err := w.connections.CreateConnection(ctx, c); err != nil {
				t.Fatal(err)
			}
			for _, s := range to {
				var err error
				if c, err = w.connections.MoveConnection(ctx, c.ID, linkwork.ConnectionMove{To: s, Version: c.Version}); err != nil {
					t.Fatal(err)
				}
			}
			return c
		}
		went := []linkwork.ConnectionStatus{linkwork.ConnAccepted, linkwork.ConnAttended}
		liked := &linkwork.ConnectionView{View: linkwork.ViewLikedIt, Why: "The coach was kind"}
		t.Run("a view is recorded once the person has been", func(t *testing.T) {
			c := connect(boxing)
			wantField(t, w.connections.RecordView(ctx, c.ID, liked), "view")
			wantField(t, w.connections.RecordView(ctx, c.ID, &linkwork.ConnectionView{View: "loved_it", Why: "x"}), "view")
			c = connect(boxing, went...)
			wantField(t, w.connections.RecordView(ctx, c.ID, &linkwork.ConnectionView{View: linkwork.ViewMixed}), "why")
			wantCode(t, w.connections.RecordView(w.as(w.otherWorker), c.ID, liked), linkwork.ENOTFOUND)
			wantCode(t, w.connections.RecordView(w.as(w.community), c.ID, liked), linkwork.EFORBIDDEN)
			if err := w.connections.RecordView(ctx, c.ID, &linkwork.ConnectionView{View: linkwork.ViewMixed, Why: "Loud"}); err != nil {
				t.Fatal(err)
			}
			if err := w.connections.RecordView(ctx, c.ID, liked); err != nil {
				t.Fatal(err)
			}
			views, err := w.connections.FindConnectionViews(ctx, k.ID)
			if err != nil || len(views) != 1 || views[0].View != linkwork.ViewLikedIt || views[0].Why != liked.Why {
				t.Fatalf("a later view replaces the one before: %+v %v", views, err)
			}
			if views, err := w.connections.FindConnectionViews(w.as(w.community), k.ID); err != nil || len(views) != 0 {
				t.Fatalf("the organisation reads the person's words: %+v %v", views, err)
			}
			if !slices.Contains(auditedActions(t, w, c.ID), "connection.view by "+w.linkWorker.ID) {
				t.Fatalf("recording a view is not audited")
			}
		})
		t.Run("the organisation sees only numbers, and only from five views", func(t *testing.T) {
			cctx := w.as(w.community)
			got, err := w.connections.FindActivityViews(cctx)
			if err != nil || len(got) != 0 {
				t.Fatalf("one view shown: %+v %v", got, err)
			}
			for _, v := range []linkwork.PersonView{linkwork.ViewLikedIt, linkwork.ViewLikedIt, linkwork.ViewNotForMe, linkwork.ViewMixed} {
				c := connect(boxing, append(went, linkwork.ConnContinuing)...)
				if err := w.connections.RecordView(ctx, c.ID, &linkwork.ConnectionView{View: v, Why: "Because"}); err != nil {
					t.Fatal(err)
				}
			}
			other := connect(arts, went...)
			if err := w.connections.RecordView(ctx, other.ID, liked); err != nil {
				t.Fatal(err)
			}
			got, err = w.connections.FindActivityViews(cctx)
			want := []linkwork.ActivityViews{{AssetID: boxing.ID, AssetName: boxing.Name, LikedIt: 3, NotForMe: 1, Mixed: 1}}
			if err != nil || !slices.Equal(got, want) {
				t.Fatalf("views %+v %v, want %+v", got, err, want)
			}
			if !slices.Contains(auditedActions(t, w, w.vcs.ID), "connection.activity_views by "+w.community.ID) {
				t.Fatalf("reading the numbers is not audited")
			}
		})
	})
}
