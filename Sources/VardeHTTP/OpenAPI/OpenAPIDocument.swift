/// The OpenAPI 3.1 description of the whole API, served at `/openapi.yaml`.
/// A test validates it and checks that every registered route is in it.
enum OpenAPIDocument {
    static let yaml = """
        openapi: 3.1.0
        info:
          title: Varde
          version: 1.0.0
        paths: {}
        """
}
