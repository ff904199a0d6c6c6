import Testing
import VardeAuth

@Suite struct BearerTokenTests {
    @Test(arguments: [
        ("Bearer abc.def-ghi_jkl", "abc.def-ghi_jkl"),
        ("bearer abc", "abc"),
        ("BEARER abc", "abc"),
        ("BeArEr   abc  ", "abc"),
        ("Bearer vgk_0123456789abcdef_x-y_z", "vgk_0123456789abcdef_x-y_z"),
        ("Bearer abc+/==", "abc+/=="),
    ])
    func extractsToken(header: String, token: String) {
        #expect(BearerToken.extract(from: header) == token)
    }

    @Test(
        arguments: [
            nil, "", "Bearer", "Bearer ", "Bearer    ", "Basic dXNlcjpwYXNz", "Bearerabc",
            "Bearer abc def", "Bearer a=b", "Bearer =abc", "Bearer abc,def", "Token abc", " Bearer abc",
            "Bearer ab\"c", "Bearer æøå",
        ] as [String?])
    func refusesOtherHeaders(header: String?) {
        #expect(BearerToken.extract(from: header) == nil)
    }
}
