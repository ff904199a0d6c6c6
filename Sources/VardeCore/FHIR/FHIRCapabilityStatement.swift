/// A FHIR R4 `CapabilityStatement` (kind `instance`): what this server
/// supports, reduced to the elements Varde fills.
public struct FHIRCapabilityStatement: Codable, Equatable, Sendable {
    public struct Software: Codable, Equatable, Sendable {
        public var name: String
        public var version: String?

        public init(name: String, version: String? = nil) {
            self.name = name
            self.version = version
        }
    }

    public struct Implementation: Codable, Equatable, Sendable {
        public var description: String
        public var url: String?

        public init(description: String, url: String? = nil) {
            self.description = description
            self.url = url
        }
    }

    public struct Interaction: Codable, Equatable, Sendable {
        public var code: String
        public var documentation: String?

        public init(code: String, documentation: String? = nil) {
            self.code = code
            self.documentation = documentation
        }
    }

    public struct SearchParam: Codable, Equatable, Sendable {
        public var name: String
        public var definition: String?
        /// `number`, `date`, `string`, `token`, `reference`, …
        public var type: String
        public var documentation: String?

        public init(name: String, definition: String? = nil, type: String, documentation: String? = nil) {
            self.name = name
            self.definition = definition
            self.type = type
            self.documentation = documentation
        }
    }

    public struct Resource: Codable, Equatable, Sendable {
        public var type: String
        public var profile: String?
        public var supportedProfile: [String]?
        public var documentation: String?
        public var interaction: [Interaction]
        public var conditionalCreate: Bool?
        public var searchParam: [SearchParam]?

        public init(
            type: String, profile: String? = nil, supportedProfile: [String]? = nil, documentation: String? = nil,
            interaction: [Interaction], conditionalCreate: Bool? = nil, searchParam: [SearchParam]? = nil
        ) {
            self.type = type
            self.profile = profile
            self.supportedProfile = supportedProfile
            self.documentation = documentation
            self.interaction = interaction
            self.conditionalCreate = conditionalCreate
            self.searchParam = searchParam
        }
    }

    public struct Security: Codable, Equatable, Sendable {
        public var cors: Bool?
        public var description: String?

        public init(cors: Bool? = nil, description: String? = nil) {
            self.cors = cors
            self.description = description
        }
    }

    public struct Rest: Codable, Equatable, Sendable {
        /// `server`.
        public var mode: String
        public var documentation: String?
        public var security: Security?
        public var resource: [Resource]
        public var interaction: [Interaction]?

        public init(
            mode: String, documentation: String? = nil, security: Security? = nil, resource: [Resource], interaction: [Interaction]? = nil
        ) {
            self.mode = mode
            self.documentation = documentation
            self.security = security
            self.resource = resource
            self.interaction = interaction
        }
    }

    public var resourceType = "CapabilityStatement"
    public var status: String
    public var date: String
    public var publisher: String?
    /// `instance`: this server, as deployed.
    public var kind: String
    public var software: Software?
    public var implementation: Implementation?
    public var fhirVersion: String
    public var format: [String]
    public var implementationGuide: [String]?
    public var rest: [Rest]

    public init(
        status: String = "active", date: String, publisher: String? = nil, kind: String = "instance", software: Software? = nil,
        implementation: Implementation? = nil, fhirVersion: String = "4.0.1", format: [String], implementationGuide: [String]? = nil,
        rest: [Rest]
    ) {
        self.status = status
        self.date = date
        self.publisher = publisher
        self.kind = kind
        self.software = software
        self.implementation = implementation
        self.fhirVersion = fhirVersion
        self.format = format
        self.implementationGuide = implementationGuide
        self.rest = rest
    }
}
