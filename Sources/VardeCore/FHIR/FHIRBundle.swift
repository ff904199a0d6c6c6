/// A FHIR R4 `Bundle`: `batch`/`transaction` in, `batch-response`,
/// `transaction-response` and `searchset` out.
public struct FHIRBundle: Codable, Equatable, Sendable {
    public struct Link: Codable, Equatable, Sendable {
        /// `self`, `next`, `previous`, …
        public var relation: String
        public var url: String

        public init(relation: String, url: String) {
            self.relation = relation
            self.url = url
        }
    }

    public struct Request: Codable, Equatable, Sendable {
        public var method: String
        public var url: String
        public var ifNoneExist: String?

        public init(method: String, url: String, ifNoneExist: String? = nil) {
            self.method = method
            self.url = url
            self.ifNoneExist = ifNoneExist
        }
    }

    public struct Response: Codable, Equatable, Sendable {
        /// Status line, e.g. `201 Created`.
        public var status: String
        public var location: String?
        public var etag: String?
        public var lastModified: String?
        public var outcome: FHIROperationOutcome?

        public init(
            status: String, location: String? = nil, etag: String? = nil, lastModified: String? = nil,
            outcome: FHIROperationOutcome? = nil
        ) {
            self.status = status
            self.location = location
            self.etag = etag
            self.lastModified = lastModified
            self.outcome = outcome
        }
    }

    public struct Search: Codable, Equatable, Sendable {
        /// `match` or `include`.
        public var mode: String?

        public init(mode: String? = nil) { self.mode = mode }
    }

    public struct Entry: Codable, Equatable, Sendable {
        public var fullUrl: String?
        public var resource: FHIRResource?
        public var search: Search?
        public var request: Request?
        public var response: Response?

        public init(
            fullUrl: String? = nil, resource: FHIRResource? = nil, search: Search? = nil,
            request: Request? = nil, response: Response? = nil
        ) {
            self.fullUrl = fullUrl
            self.resource = resource
            self.search = search
            self.request = request
            self.response = response
        }
    }

    public var resourceType: String
    public var id: String?
    /// `batch`, `transaction`, `batch-response`, `transaction-response`, `searchset`, …
    public var type: String
    /// FHIR instant.
    public var timestamp: String?
    public var total: Int?
    public var link: [Link]?
    public var entry: [Entry]?

    public init(
        id: String? = nil, type: String, timestamp: String? = nil, total: Int? = nil,
        link: [Link]? = nil, entry: [Entry]? = nil
    ) {
        self.resourceType = "Bundle"
        self.id = id
        self.type = type
        self.timestamp = timestamp
        self.total = total
        self.link = link
        self.entry = entry
    }
}
