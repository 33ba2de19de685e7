# METADATA
# title: Test support
# description: >-
#   Sample data documents and a baseline input for the *_test.rego files. The samples mirror the
#   shipped documents in policies/data (licences are a small sample of their own), so tests do not
#   depend on how a loader mounts the data directory. Not used by any decision.
package balticai.testing

countries := {
	"eu": ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"],
	"eeaOutsideEu": ["IS", "LI", "NO"],
	"nato": ["AL", "BE", "BG", "CA", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IS", "IT", "LT", "LU", "LV", "ME", "MK", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK", "TR", "US"],
	"gigafactory": ["EE", "LT", "LV", "PL"],
	"adequacy": {
		"CH": {"decision": "2000/518/EC"},
		"GB": {"decision": "2021/1772"},
		"JP": {"decision": "2019/419"},
		"US": {"decision": "2023/1795", "requiresDpfCertification": true},
	},
}

residency := {
	"PL": {
		"scheme": "SCCO",
		"classes": ["SCCO1", "SCCO2", "SCCO3", "SCCO4"],
		"domesticFrom": "SCCO2",
		"dataEmbassyAllowed": false,
		"foreignCopies": "none",
		"requirement": "Polish public-sector data of class SCCO2 and above stay on infrastructure located in Poland",
		"source": "PL cloud standard (SCCO)",
	},
	"EE": {
		"scheme": "E-ITS",
		"classes": ["low", "medium", "high"],
		"domesticFrom": "high",
		"dataEmbassyAllowed": true,
		"foreignCopies": "data-embassy-only",
		"requirement": "Estonian data at E-ITS high level stay on national infrastructure or in the Estonian data embassy",
		"source": "EE E-ITS",
	},
	"LT": {
		"scheme": "LT critical state data",
		"classes": ["public", "internal", "important", "critical"],
		"domesticFrom": "critical",
		"dataEmbassyAllowed": false,
		"foreignCopies": "encrypted-backup-only",
		"foreignCopyCountries": ["eu", "eeaOutsideEu", "nato"],
		"requirement": "Lithuanian critical state data are processed only on Lithuanian sites; data centres in other EU/EEA/NATO countries may hold encrypted backups only",
		"source": "LT critical state data rules",
	},
}

authorities := {
	"PL": [{"id": "pl-uodo", "role": "data-protection"}, {"id": "pl-kribsi", "role": "ai-act"}],
	"EE": [{"id": "ee-aki", "role": "data-protection"}, {"id": "ee-ttja", "role": "ai-act"}],
	"LT": [{"id": "lt-vdai", "role": "data-protection"}, {"id": "lt-rrt", "role": "ai-act"}],
	"LV": [{"id": "lv-dvi", "role": "data-protection"}, {"id": "lv-ptac", "role": "ai-act"}],
	"EU": [{"id": "eu-ai-office", "role": "gpai"}],
}

settings := {
	"sourceTypes": ["crawled", "licensed", "private", "public", "synthetic", "user"],
	"documentedOrigin": {"requiredFields": [
		["origin", "sourceType"],
		["documentation", "origin"],
		["documentation", "collectionMethod"],
		["documentation", "preparationSteps"],
		["licensing", "licence"],
	]},
	"commercialPurposes": ["commercial"],
	"researchPurposes": ["research"],
	"lawfulBases": ["consent", "contract", "legal-obligation", "vital-interests", "public-task", "legitimate-interests"],
	"activeStatuses": ["active"],
	"biasTesting": {"purpose": "bias-testing", "deleteAfterDays": 30},
	"tdm": {"article3Beneficiaries": ["research-organisation", "cultural-heritage-institution"]},
	"health": {
		"categories": ["health", "genetic"],
		"requiredAccreditation": "secure-processing-environment",
		"allowedPurposes": ["public-health", "health-policy", "official-statistics", "education", "research", "health-ai-development", "personalised-healthcare"],
		"defaultPseudonymisation": "keyed-hash",
	},
	"publicSector": {"requiredAccreditation": "secure-processing-environment"},
	"dpia": {"largeScaleTokens": 1000000000, "largeScaleBytes": 10000000000, "largeScaleDataSubjects": 100000},
	"gpai": {"template": "EU AI Office training content summary template (July 2025)", "updateEveryMonths": 6},
	"recordKeeping": {"logRetentionDays": 183, "documentationRetentionYears": 10},
}

# A sample of licence terms, shaped like data.balticai.licences.
licences := {
	"Apache-2.0": {"commercial": true, "derivatives": true, "shareAlike": false, "researchOnly": false, "nonCommercial": false},
	"CC0-1.0": {"commercial": true, "derivatives": true, "shareAlike": false, "researchOnly": false, "nonCommercial": false},
	"CC-BY-4.0": {"commercial": true, "derivatives": true, "shareAlike": false, "researchOnly": false, "nonCommercial": false},
	"CC-BY-SA-4.0": {"commercial": true, "derivatives": true, "shareAlike": true, "researchOnly": false, "nonCommercial": false},
	"CC-BY-ND-4.0": {"commercial": true, "derivatives": false, "shareAlike": false, "researchOnly": false, "nonCommercial": false},
	"CC-BY-NC-4.0": {"commercial": false, "derivatives": true, "shareAlike": false, "researchOnly": false, "nonCommercial": true},
	"LicenseRef-Publisher-All-Rights-Reserved": {"commercial": false, "derivatives": false, "shareAlike": false, "researchOnly": false, "nonCommercial": false},
}

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

with_site(p) := patch({"site": p})

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
