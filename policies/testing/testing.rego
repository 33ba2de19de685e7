# METADATA
# title: Test support
# description: >-
#   Data documents and a baseline input for the *_test.rego files. The documents (countries,
#   residency, authorities, settings, licences) are the shipped ones (documents.rego, generated from
#   policies/data). Tests mock data.balticai with them, so they do not depend on how a loader mounts
#   the data directory. Not used by any decision.
package balticai.testing

# A documented, public-domain, non-personal Polish corpus for a non-commercial research job on a
# Polish site: every rule family allows it.
base_input := {
	"dataset": {
		"id": "ds-speakleash-pl-public",
		"version": "2026.10",
		"title": "SpeakLeash public-domain Polish texts",
		"owner": {"organisation": "SpeakLeash", "country": "PL"},
		"controller": "SpeakLeash Foundation",
		"countryOfOrigin": "PL",
		"storage": {"site": "pl-cyfronet-1", "country": "PL"},
		"residency": {"constraint": "none"},
		"origin": {
			"sourceType": "public",
			"sourceUri": "https://speakleash.org/",
			"collectionPeriod": {"start": "2022-01-01", "end": "2026-06-30"},
			"tdmOptOut": false,
		},
		"licensing": {"licence": "CC0-1.0", "restrictions": [], "copyrightBasis": "public domain"},
		"personalData": {"contains": false, "specialCategories": []},
		"sector": {"health": false, "publicSector": false, "classified": false},
		"documentation": {
			"origin": "Public-domain Polish books and official journals",
			"collectionMethod": "Downloaded from public repositories",
			"preparationSteps": ["deduplication", "quality filtering", "topic tagging"],
		},
		"terms": {"evidence": {}, "permittedPurposes": []},
		"status": "active",
		"content": {
			"digest": "sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
			"sizeBytes": 4000000000,
			"tokens": 900000000,
			"languages": ["pl"],
			"modality": "text",
		},
		"derivedFrom": [],
	},
	"job": {
		"id": "job-bielik-research-7",
		"operator": {"organisation": "ACK Cyfronet AGH", "country": "PL", "type": "research-organisation"},
		"purpose": "research",
		"commercial": false,
		"generalPurposeModel": false,
		"highRiskSystem": false,
		"site": "pl-cyfronet-1",
		"model": {"name": "bielik-research", "version": "0.1", "licence": "Apache-2.0"},
		"plannedStart": "2026-12-01T00:00:00Z",
		"plannedEnd": "2027-01-31T00:00:00Z",
		"recipient": {"country": "PL", "dpfCertified": false},
	},
	"site": {
		"id": "pl-cyfronet-1",
		"country": "PL",
		"operator": "ACK Cyfronet AGH",
		"accreditations": ["iso-27001"],
		"securityClasses": ["SCCO1", "SCCO2"],
		"dataEmbassy": false,
	},
	"caller": {"organisation": "ACK Cyfronet AGH", "country": "PL", "application": "cyfronet-scheduler"},
	"time": "2026-11-28T23:00:00Z",
}

# Patches over the baseline (object.union merges objects recursively; arrays are replaced).
patch(p) := object.union(base_input, p)

with_dataset(p) := patch({"dataset": p})

with_job(p) := patch({"job": p})

# The baseline without one key of a section ("dataset", "job", "site"), for rules that must fail
# closed when a fact is absent rather than null.
without(section, key) := object.union(object.remove(base_input, [section]), {section: object.remove(base_input[section], [key])})

# Personal data with everything the data-protection rules ask for.
personal := {"personalData": {
	"contains": true,
	"specialCategories": [],
	"lawfulBasis": "public-task",
	"originalPurpose": "research",
	"dpiaReference": "DPIA-2026-001",
	"pseudonymisation": "keyed-hash",
}}

rule_ids(reasons) := {r.rule | some r in reasons}

obligation_types(obligations) := {o.type | some o in obligations}
