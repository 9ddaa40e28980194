/// A conversation's prompt tokens, counted the way OpenAI's cookbook counts chat messages ("How to count
/// tokens with tiktoken", for its 2023 chat models): every message costs three template tokens plus its
/// role's and content's tokens (and, with a `name`, the name's tokens plus one), and the reply is primed
/// with three more (`<|start|>assistant<|message|>`). Roles, names and contents are counted by
/// ``TextTokenizer`` (`user` is 1 token, `system` 2).
enum ChatTemplate {
    /// The prompt's token ids: each message's template markers, role, name and content, then the priming.
    /// There are 3 + the sum over messages of 3 + role + content tokens (+ name tokens + 1).
    static func tokenIDs(of messages: [ChatMessage]) -> [UInt32] {
        var ids: [UInt32] = []
        for message in messages {
            ids.append(Marker.start)
            ids += TextTokenizer.tokenIDs(of: message.role)
            if let name = message.name {
                ids.append(Marker.name)
                ids += TextTokenizer.tokenIDs(of: name)
            }
            ids.append(Marker.separator)
            ids += TextTokenizer.tokenIDs(of: message.content)
            ids.append(Marker.end)
        }
        ids += [Marker.start, Marker.assistant, Marker.separator]
        return ids
    }

    /// Ids of the template's markers (hashes of their spelling, like every other token id).
    private enum Marker {
        static let start = FNV1a.of("<|start|>")
        static let name = FNV1a.of("<|name|>")
        static let separator = FNV1a.of("<|message|>")
        static let end = FNV1a.of("<|end|>")
        static let assistant = FNV1a.of("<|assistant|>")
    }
}
