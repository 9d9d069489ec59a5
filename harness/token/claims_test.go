package token

import (
	"slices"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

func TestConditionValues(t *testing.T) {
	got, ok := ConditionValues(&evidence.Token{Claims: []byte(`{"aud":["a","b"],"sub":"s","amr":null,"azp":1,"x":"y"}`)})
	if !ok || !slices.Equal(got["aud"], []string{"a", "b"}) || !slices.Equal(got["sub"], []string{"s"}) {
		t.Errorf("ConditionValues = %v, %v", got, ok)
	}
	if _, has := got["amr"]; has {
		t.Errorf("a null amr became a value: %v", got)
	}
	if _, has := got["azp"]; has {
		t.Errorf("a numeric azp became a value: %v", got)
	}
	if _, ok := ConditionValues(nil); ok {
		t.Error("no token gave values")
	}
	if _, ok := ConditionValues(&evidence.Token{Claims: []byte(`[1]`)}); ok {
		t.Error("claims that are not an object gave values")
	}
}
