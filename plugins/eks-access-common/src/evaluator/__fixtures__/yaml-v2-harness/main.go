// Runs the YAML → JSON → Go struct path that aws-iam-authenticator's
// configmap.ParseMap uses (apimachinery ToJSON → sigs.k8s.io/yaml.YAMLToJSON
// over yaml.v2, then encoding/json into the mapping structs, then Validate;
// mapAccounts with yaml.v2 straight into []string) on a JSON list of
// aws-auth data maps read from stdin, and prints what loads.
package main

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"unicode"

	yamlv2 "go.yaml.in/yaml/v2"
	"sigs.k8s.io/yaml"
)

type SSO struct {
	PermissionSetName string `json:"permissionSetName"`
	AccountID         string `json:"accountID"`
	Partition         string `json:"partition,omitempty"`
}
type RoleMapping struct {
	RoleARN  string   `json:"rolearn,omitempty"`
	SSO      *SSO     `json:"sso,omitempty"`
	Username string   `json:"username"`
	Groups   []string `json:"groups"`
	UserId   string   `json:"userid,omitempty"`
}
type UserMapping struct {
	UserARN  string   `json:"userarn"`
	Username string   `json:"username"`
	Groups   []string `json:"groups"`
	UserId   string   `json:"userid,omitempty"`
}

func toJSON(data []byte) ([]byte, error) {
	trim := bytes.TrimLeftFunc(data, unicode.IsSpace)
	if bytes.HasPrefix(trim, []byte("{")) {
		return data, nil
	}
	return yaml.YAMLToJSON(data)
}

func skippable(s string) bool {
	t := strings.TrimSpace(s)
	return t == "" || t == "``" || t == `""` || t == "''"
}

type Out struct {
	Roles    [][]interface{} `json:"roles"`
	Users    []string        `json:"users"`
	Accounts []string        `json:"accounts"`
	Errs     []string        `json:"errs"`
}

func main() {
	var inputs []map[string]string
	if err := json.NewDecoder(os.Stdin).Decode(&inputs); err != nil {
		panic(err)
	}
	outs := []Out{}
	for _, m := range inputs {
		o := Out{Roles: [][]interface{}{}, Users: []string{}, Accounts: []string{}, Errs: []string{}}
		if d, ok := m["mapRoles"]; ok && !skippable(d) {
			raw := make([]RoleMapping, 0)
			j, err := toJSON([]byte(d))
			if err != nil {
				o.Errs = append(o.Errs, "mapRoles:"+err.Error())
			} else {
				if err := json.Unmarshal(j, &raw); err != nil {
					o.Errs = append(o.Errs, "mapRolesJSON:"+err.Error())
				}
				for _, r := range raw {
					if !validRole(r) {
						continue
					}
					g := r.Groups
					if g == nil {
						g = []string{}
					}
					o.Roles = append(o.Roles, []interface{}{r.RoleARN, r.Username, g})
				}
			}
		}
		if d, ok := m["mapUsers"]; ok && !skippable(d) {
			raw := make([]UserMapping, 0)
			j, err := toJSON([]byte(d))
			if err != nil {
				o.Errs = append(o.Errs, "mapUsers:"+err.Error())
			} else {
				json.Unmarshal(j, &raw)
				for _, u := range raw {
					if u.UserARN != "" {
						o.Users = append(o.Users, u.UserARN)
					}
				}
			}
		}
		if d, ok := m["mapAccounts"]; ok && !skippable(d) {
			acc := make([]string, 0)
			if err := yamlv2.Unmarshal([]byte(d), &acc); err != nil {
				o.Errs = append(o.Errs, "mapAccounts:"+err.Error())
			}
			if acc == nil {
				acc = []string{}
			}
			o.Accounts = acc
		}
		outs = append(outs, o)
	}
	json.NewEncoder(os.Stdout).Encode(outs)
}

var accountID = regexp.MustCompile(`^[0-9]{12}$`)
var permissionSet = regexp.MustCompile(`^[\w+=,.@-]{1,32}$`)
var partitions = map[string]bool{"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true, "aws-iso-b": true, "aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true}

// validRole follows RoleMapping.Validate (pkg/config/mapper.go).
func validRole(r RoleMapping) bool {
	if (r.RoleARN == "") == (r.SSO == nil) {
		return false
	}
	if r.SSO != nil {
		if !accountID.MatchString(r.SSO.AccountID) || !permissionSet.MatchString(r.SSO.PermissionSetName) {
			return false
		}
		if r.SSO.Partition != "" && !partitions[r.SSO.Partition] {
			return false
		}
	}
	return true
}
