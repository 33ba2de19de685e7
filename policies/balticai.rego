# METADATA
# title: BalticAI default policy bundle
# description: >-
#   The schemas of the data documents the rule families read (policies/data, mounted under
#   data.balticai), for every package of the bundle: a rule reading a setting, a country list or a
#   licence, residency, site or authority key they do not have is refused at activation instead of
#   never holding. Add a key here when you add it to a document (testing/documents_test.rego tests
#   the documents themselves).
# scope: subpackages
# schemas:
#   - data.balticai.settings:
#       type: object
#       additionalProperties: false
#       properties:
#         sourceTypes: {type: array, items: {type: string}}
#         documentedOrigin:
#           type: object
#           additionalProperties: false
#           properties:
#             requiredFields: {type: array, items: {type: array, items: {type: string}}}
#         commercialPurposes: {type: array, items: {type: string}}
#         researchPurposes: {type: array, items: {type: string}}
#         lawfulBases: {type: array, items: {type: string}}
#         activeStatuses: {type: array, items: {type: string}}
#         biasTesting:
#           type: object
#           additionalProperties: false
#           properties: {purpose: {type: string}, deleteAfterDays: {type: integer}}
#         tdm:
#           type: object
#           additionalProperties: false
#           properties: {article3Beneficiaries: {type: array, items: {type: string}}}
#         health:
#           type: object
#           additionalProperties: false
#           properties:
#             categories: {type: array, items: {type: string}}
#             requiredAccreditation: {type: string}
#             allowedPurposes: {type: array, items: {type: string}}
#             defaultPseudonymisation: {type: string}
#         publicSector:
#           type: object
#           additionalProperties: false
#           properties: {requiredAccreditation: {type: string}}
#         dpia:
#           type: object
#           additionalProperties: false
#           properties: {largeScaleTokens: {type: integer}, largeScaleBytes: {type: integer}, largeScaleDataSubjects: {type: integer}}
#         gpai:
#           type: object
#           additionalProperties: false
#           properties: {template: {type: string}, updateEveryMonths: {type: integer}}
#         recordKeeping:
#           type: object
#           additionalProperties: false
#           properties: {logRetentionDays: {type: integer}, documentationRetentionYears: {type: integer}}
#   - data.balticai.countries:
#       type: object
#       additionalProperties: false
#       properties:
#         eu: {type: array, items: {type: string}}
#         eeaOutsideEu: {type: array, items: {type: string}}
#         nato: {type: array, items: {type: string}}
#         gigafactory: {type: array, items: {type: string}}
#         adequacy:
#           type: object
#           additionalProperties:
#             type: object
#             additionalProperties: false
#             properties: {decision: {type: string}, scope: {type: string}, requiresDpfCertification: {type: boolean}}
#   - data.balticai.licences:
#       type: object
#       additionalProperties:
#         type: object
#         additionalProperties: false
#         properties:
#           name: {type: string}
#           commercialUse: {type: boolean}
#           derivatives: {type: boolean}
#           shareAlike: {type: boolean}
#           researchOnly: {type: boolean}
#           modelLicence: {type: boolean}
#           notes: {type: string}
#   - data.balticai.residency:
#       type: object
#       additionalProperties:
#         type: object
#         additionalProperties: false
#         properties:
#           scheme: {type: string}
#           classes: {type: array, items: {type: string}}
#           domesticFrom: {type: string}
#           higherClassesHoldLower: {type: boolean}
#           dataEmbassyAllowed: {type: boolean}
#           foreignCopies: {type: string}
#           foreignCopyCountries: {type: array, items: {type: string}}
#           requirement: {type: string}
#           source: {type: string}
#           confirmed: {type: boolean}
#   - data.balticai.sites:
#       type: object
#       additionalProperties:
#         type: object
#         additionalProperties: false
#         properties: {country: {type: string}, name: {type: string}, dataEmbassyFor: {type: string}}
#   - data.balticai.authorities:
#       type: object
#       additionalProperties:
#         type: array
#         items:
#           type: object
#           additionalProperties: false
#           properties: {id: {type: string}, role: {type: string}, name: {type: string}, status: {type: string}}
package balticai
