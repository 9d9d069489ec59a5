package evidence

import "encoding/json"

// RelyingParty is one relying party a target is judged for (run --for) and
// the inputs given for it, kept in the evidence so a saved run is judged
// again with the same inputs.
type RelyingParty struct {
	// Name is the relying party's name, e.g. "eks-oidc-login".
	Name string `json:"name"`
	// Values are its flags as given, by flag name without dashes.
	Values map[string][]string `json:"values,omitempty"`
	// Files are its file flags' contents, by flag name.
	Files map[string]File `json:"files,omitempty"`
}

// File is an input file as read.
type File struct {
	// Path is the path as given (or where the input came from).
	Path string `json:"path"`
	// Body is the file's content.
	Body []byte `json:"body"`
}

// Value returns the first value of flag, or "".
func (p RelyingParty) Value(flag string) string {
	if v := p.Values[flag]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// profileParty is the relying party an evidence file older than --for
// asked for through its profile (run --profile).
var profileParty = map[string]string{"": "aws-sts", "aws": "aws-sts", "kubernetes": "kubernetes-jwt", "oidc": "oidc"}

// Party returns the inputs of the relying party called name, and whether it
// was asked for. A target with no relying party recorded (an evidence file
// older than --for) asks for the one of its profile, with no inputs.
func (in Input) Party(name string) (RelyingParty, bool) {
	if len(in.RelyingParties) == 0 {
		return RelyingParty{Name: name}, profileParty[in.Profile] == name
	}
	for _, p := range in.RelyingParties {
		if p.Name == name {
			return p, true
		}
	}
	return RelyingParty{Name: name}, false
}

// SetAnswer stores v, a relying party's own verifier's answer (it must hold
// no token), as party's entry of t.Answers; an answer that does not encode
// is not stored.
func (t *Target) SetAnswer(party string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	if t.Answers == nil {
		t.Answers = map[string]json.RawMessage{}
	}
	t.Answers[party] = b
}

// Answer decodes party's stored answer into v; false when none was stored
// (the verifier did not run) or it does not decode.
func (t *Target) Answer(party string, v any) bool {
	raw, ok := t.Answers[party]
	return ok && json.Unmarshal(raw, v) == nil
}
