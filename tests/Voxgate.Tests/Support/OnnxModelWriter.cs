using System.Text;

namespace Voxgate.Tests.Support;

/// <summary>
/// Writes tiny, valid ONNX models by encoding the protobuf by hand (no ONNX tooling is available offline), shaped as
/// sherpa-onnx expects a Piper/VITS voice and a Kokoro model to be: the same input and output names and metadata,
/// and a trivial graph whose output is a sine tone whose length follows the input's token count and the speed.
/// Shared with bench/ (linked source), which benchmarks the same model.
/// </summary>
public static class OnnxModelWriter
{
    private const int Float = 1;
    private const int Int64 = 7;

    /// <summary>Samples a Piper-shaped model makes per input token id at length scale 1.</summary>
    public const int PiperSamplesPerToken = 256;

    /// <summary>Samples a Kokoro-shaped model makes per input token id at speed 1.</summary>
    public const int KokoroSamplesPerToken = 300;

    /// <summary>
    /// A Piper voice: inputs <c>input</c> int64[1,N], <c>input_lengths</c> int64[1], <c>scales</c> float[3] (noise,
    /// length, noise_w); output <c>output</c> float[1,1,L] with L = floor(N × 256 × length_scale), a 440 Hz tone.
    /// </summary>
    public static byte[] Piper(int sampleRate = 22050, string voice = "en-us", int speakers = 1)
    {
        var graph = new Graph();
        graph.Input("input", Int64, 1, "N");
        graph.Input("input_lengths", Int64, 1);
        graph.Input("scales", Float, 3);
        if (speakers > 1)
        {
            graph.Input("sid", Int64, 1);
        }
        graph.Output("output", Float, 1, 1, "L");
        graph.Int64s("one", [], 1);
        graph.Int64s("output_shape", [3], 1, 1, -1);
        graph.Floats("per_token", [], PiperSamplesPerToken);
        graph.Node("Shape", ["input"], ["input_shape"]);
        graph.Node("Gather", ["input_shape", "one"], ["tokens"], ("axis", 0L));
        graph.Node("Cast", ["tokens"], ["tokens_f"], ("to", (long)Float));
        graph.Node("Gather", ["scales", "one"], ["length_scale"], ("axis", 0L));
        graph.Node("Mul", ["tokens_f", "per_token"], ["samples_unscaled"]);
        graph.Node("Mul", ["samples_unscaled", "length_scale"], ["samples_scaled"]);
        graph.Node("Floor", ["samples_scaled"], ["samples"]);
        Tone(graph, "samples", sampleRate, amplitude: null, "tone");
        graph.Node("Reshape", ["tone", "output_shape"], ["output"]);
        return graph.Model(new Dictionary<string, string>
        {
            ["model_type"] = "vits", ["comment"] = "piper", ["language"] = "English", ["voice"] = voice,
            ["sample_rate"] = sampleRate.ToString(), ["n_speakers"] = speakers.ToString(), ["add_blank"] = "0",
        });
    }

    /// <summary>
    /// A Kokoro model: inputs <c>tokens</c> int64[1,N], <c>style</c> float[1,D], <c>speed</c> float[1]; output
    /// <c>audio</c> float[L] with L = floor(N × 300 / speed), a 440 Hz tone whose amplitude is the style vector's first
    /// value: a blend of speakers is heard (and measured) as the blend of their amplitudes.
    /// </summary>
    /// <param name="maxTokens">style_dim[0]: the longest token sequence; voices.bin must hold speakers × maxTokens × styleSize floats.</param>
    public static byte[] Kokoro(IReadOnlyList<string> speakers, int maxTokens = 256, int styleSize = 8, int sampleRate = 24000) =>
        StyleModel(styleSize, sampleRate, new Dictionary<string, string>
        {
            ["model_type"] = "kokoro", ["language"] = "English", ["voice"] = "en-us", ["has_espeak"] = "1", ["version"] = "1",
            ["sample_rate"] = sampleRate.ToString(), ["n_speakers"] = speakers.Count.ToString(),
            ["speaker_names"] = string.Join(",", speakers), ["style_dim"] = $"{maxTokens},1,{styleSize}",
        });

    /// <summary>
    /// A KittenTTS model: the same inputs and tone as <see cref="Kokoro"/>, but one style vector per speaker
    /// (<c>style_dim</c> 1,D), so its voices.bin holds speakers × D floats.
    /// </summary>
    public static byte[] Kitten(IReadOnlyList<string> speakers, int styleSize = 8, int sampleRate = 24000) =>
        StyleModel(styleSize, sampleRate, new Dictionary<string, string>
        {
            ["model_type"] = "kitten-tts", ["language"] = "English", ["voice"] = "en-us", ["has_espeak"] = "1", ["version"] = "1",
            ["sample_rate"] = sampleRate.ToString(), ["n_speakers"] = speakers.Count.ToString(),
            ["speaker_names"] = string.Join(",", speakers), ["style_dim"] = $"1,{styleSize}",
        });

    /// <summary>Mel frames a Matcha-shaped acoustic model makes per input token id at length scale 1.</summary>
    public const int MatchaFramesPerToken = 4;

    /// <summary>Samples the HiFi-GAN-shaped vocoder makes per mel frame.</summary>
    public const int VocoderHop = 256;

    /// <summary>
    /// A Matcha-TTS acoustic model: inputs <c>x</c> int64[1,N], <c>x_length</c> int64[1], <c>noise_scale</c> and
    /// <c>length_scale</c> float[1]; output <c>mel</c> float[1,80,T] with T = floor(N × 4 × length_scale), all 0.1.
    /// </summary>
    public static byte[] MatchaAcoustic(int sampleRate = 22050)
    {
        var graph = new Graph();
        graph.Input("x", Int64, 1, "N");
        graph.Input("x_length", Int64, 1);
        graph.Input("noise_scale", Float, 1);
        graph.Input("length_scale", Float, 1);
        graph.Output("mel", Float, 1, 80, "T");
        graph.Int64s("one", [], 1);
        graph.Int64s("zero", [], 0);
        graph.Int64s("axis0", [1], 0);
        graph.Int64s("batch_and_bins", [2], 1, 80);
        graph.Floats("per_token", [], MatchaFramesPerToken);
        graph.Floats("mel_column", [1, 80, 1], [.. Enumerable.Repeat(0.1f, 80)]);
        graph.Node("Shape", ["x"], ["x_shape"]);
        graph.Node("Gather", ["x_shape", "one"], ["tokens"], ("axis", 0L));
        graph.Node("Cast", ["tokens"], ["tokens_f"], ("to", (long)Float));
        graph.Node("Gather", ["length_scale", "zero"], ["scale"], ("axis", 0L));
        graph.Node("Mul", ["tokens_f", "per_token"], ["frames_unscaled"]);
        graph.Node("Mul", ["frames_unscaled", "scale"], ["frames_scaled"]);
        graph.Node("Floor", ["frames_scaled"], ["frames_f"]);
        graph.Node("Cast", ["frames_f"], ["frames"], ("to", (long)Int64));
        graph.Node("Unsqueeze", ["frames", "axis0"], ["frames_1d"]);
        graph.Node("Concat", ["batch_and_bins", "frames_1d"], ["mel_shape"], ("axis", 0L));
        graph.Node("Expand", ["mel_column", "mel_shape"], ["mel"]);
        return graph.Model(new Dictionary<string, string>
        {
            ["model_type"] = "matcha-tts", ["language"] = "English", ["voice"] = "en-us", ["has_espeak"] = "1", ["version"] = "1",
            ["sample_rate"] = sampleRate.ToString(), ["n_speakers"] = "1", ["use_eos_bos"] = "0", ["pad_id"] = "0",
        });
    }

    /// <summary>A HiFi-GAN vocoder: input <c>mel</c> float[1,80,T]; output <c>audio</c> float[1, T × 256], a 440 Hz tone.</summary>
    public static byte[] HifiganVocoder(int sampleRate = 22050)
    {
        var graph = new Graph();
        graph.Input("mel", Float, 1, 80, "T");
        graph.Output("audio", Float, 1, "L");
        graph.Int64s("two", [], 2);
        graph.Int64s("flat", [2], 1, -1);
        graph.Floats("hop", [], VocoderHop);
        graph.Node("Shape", ["mel"], ["mel_shape"]);
        graph.Node("Gather", ["mel_shape", "two"], ["frames"], ("axis", 0L));
        graph.Node("Cast", ["frames"], ["frames_f"], ("to", (long)Float));
        graph.Node("Mul", ["frames_f", "hop"], ["samples"]);
        Tone(graph, "samples", sampleRate, amplitude: null, "tone");
        graph.Node("Reshape", ["tone", "flat"], ["audio"]);
        return graph.Model(new Dictionary<string, string> { ["model_type"] = "hifigan" });
    }

    /// <summary>The graph Kokoro and Kitten share: tokens, a style vector and a speed in; a tone as loud as the style out.</summary>
    private static byte[] StyleModel(int styleSize, int sampleRate, IReadOnlyDictionary<string, string> metadata)
    {
        var graph = new Graph();
        graph.Input("tokens", Int64, 1, "N");
        graph.Input("style", Float, 1, styleSize);
        graph.Input("speed", Float, 1);
        graph.Output("audio", Float, "L");
        graph.Int64s("one", [], 1);
        graph.Int64s("zero", [], 0);
        graph.Int64s("flat", [1], -1);
        graph.Floats("per_token", [], KokoroSamplesPerToken);
        graph.Node("Shape", ["tokens"], ["tokens_shape"]);
        graph.Node("Gather", ["tokens_shape", "one"], ["count"], ("axis", 0L));
        graph.Node("Cast", ["count"], ["count_f"], ("to", (long)Float));
        graph.Node("Gather", ["speed", "zero"], ["speed_scalar"], ("axis", 0L));
        graph.Node("Mul", ["count_f", "per_token"], ["samples_at_1"]);
        graph.Node("Div", ["samples_at_1", "speed_scalar"], ["samples_scaled"]);
        graph.Node("Floor", ["samples_scaled"], ["samples"]);
        graph.Node("Reshape", ["style", "flat"], ["style_flat"]);
        graph.Node("Gather", ["style_flat", "zero"], ["amplitude"], ("axis", 0L));
        Tone(graph, "samples", sampleRate, "amplitude", "audio");
        return graph.Model(metadata);
    }

    /// <summary>Kokoro's voices.bin: for each speaker, maxTokens rows of styleSize floats, all equal to its amplitude.</summary>
    public static byte[] KokoroVoices(IReadOnlyList<float> amplitudes, int maxTokens = 256, int styleSize = 8)
    {
        var bytes = new List<byte>();
        foreach (float amplitude in amplitudes)
        {
            for (int i = 0; i < maxTokens * styleSize; i++)
            {
                bytes.AddRange(BitConverter.GetBytes(amplitude));
            }
        }
        return [.. bytes];
    }

    /// <summary>
    /// tokens.txt: one "symbol id" line per code point: Piper's pad, start and end symbols, space, punctuation, the
    /// Latin letters and the IPA symbols eSpeak NG writes for English and the other common languages.
    /// </summary>
    public static string Tokens()
    {
        var symbols = new List<string> { "_", "^", "$", " " };
        symbols.AddRange("!'(),-.:;?".Select(c => c.ToString()));
        symbols.AddRange(Enumerable.Range('a', 26).Select(c => ((char)c).ToString()));
        symbols.AddRange(Enumerable.Range(0x0250, 0x02AF - 0x0250 + 1).Select(c => ((char)c).ToString())); // IPA extensions
        symbols.AddRange(["ˈ", "ˌ", "ː", "ˑ", "æ", "ç", "ð", "ø", "ŋ", "œ", "θ", "χ", "ʰ", "ʲ", "ʷ", "̃", "̩", "̪", "ᵻ", "↓", "↑"]);
        var text = new StringBuilder();
        for (int id = 0; id < symbols.Count; id++)
        {
            // A space is written as an empty symbol: sherpa-onnx reads a line holding only the id as the space.
            text.Append(symbols[id] == " " ? "" : symbols[id]).Append(' ').Append(id).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>A protobuf base-128 varint, for tests that craft malformed models byte by byte.</summary>
    public static byte[] Varint(ulong value)
    {
        var proto = new Proto();
        proto.RawVarint(value);
        return proto.ToArray();
    }

    /// <summary>Adds nodes making <paramref name="output"/> = amplitude × sin(2π·440·t) for t in 0..samples-1.</summary>
    private static void Tone(Graph graph, string samples, int sampleRate, string? amplitude, string output)
    {
        graph.Floats("zero_f", [], 0f);
        graph.Floats("one_f", [], 1f);
        graph.Floats("omega", [], (float)(2 * Math.PI * 440 / sampleRate));
        graph.Floats("default_amplitude", [], 0.3f);
        graph.Node("Range", ["zero_f", samples, "one_f"], ["t"]);
        graph.Node("Mul", ["t", "omega"], ["phase"]);
        graph.Node("Sin", ["phase"], ["sine"]);
        graph.Node("Mul", ["sine", amplitude ?? "default_amplitude"], [output]);
    }

    /// <summary>An ONNX graph in the making, and the protobuf encoding of the model around it.</summary>
    private sealed class Graph
    {
        private readonly List<byte[]> _nodes = [];
        private readonly List<byte[]> _initializers = [];
        private readonly List<byte[]> _inputs = [];
        private readonly List<byte[]> _outputs = [];

        public void Input(string name, int type, params object[] dims) => _inputs.Add(ValueInfo(name, type, dims));

        public void Output(string name, int type, params object[] dims) => _outputs.Add(ValueInfo(name, type, dims));

        public void Int64s(string name, long[] dims, params long[] values)
        {
            var tensor = new Proto();
            foreach (long dim in dims)
            {
                tensor.Varint(1, (ulong)dim);
            }
            tensor.Varint(2, Int64);
            tensor.Bytes(7, Packed(values.Select(v => (ulong)v)));
            tensor.String(8, name);
            _initializers.Add(tensor.ToArray());
        }

        public void Floats(string name, long[] dims, params float[] values)
        {
            var tensor = new Proto();
            foreach (long dim in dims)
            {
                tensor.Varint(1, (ulong)dim);
            }
            tensor.Varint(2, Float);
            tensor.Bytes(9, [.. values.SelectMany(BitConverter.GetBytes)]); // raw_data, little-endian
            tensor.String(8, name);
            _initializers.Add(tensor.ToArray());
        }

        public void Node(string op, string[] inputs, string[] outputs, params (string Name, long Value)[] attributes)
        {
            var node = new Proto();
            foreach (string input in inputs)
            {
                node.String(1, input);
            }
            foreach (string output in outputs)
            {
                node.String(2, output);
            }
            node.String(3, $"{op}_{_nodes.Count}");
            node.String(4, op);
            foreach ((string name, long value) in attributes)
            {
                var attribute = new Proto();
                attribute.String(1, name);
                attribute.Varint(3, (ulong)value);
                attribute.Varint(20, 2); // AttributeType INT
                node.Bytes(5, attribute.ToArray());
            }
            _nodes.Add(node.ToArray());
        }

        public byte[] Model(IReadOnlyDictionary<string, string> metadata)
        {
            var graph = new Proto();
            foreach (byte[] node in _nodes)
            {
                graph.Bytes(1, node);
            }
            graph.String(2, "voxgate-test-graph");
            foreach (byte[] initializer in _initializers)
            {
                graph.Bytes(5, initializer);
            }
            foreach (byte[] input in _inputs)
            {
                graph.Bytes(11, input);
            }
            foreach (byte[] output in _outputs)
            {
                graph.Bytes(12, output);
            }
            var model = new Proto();
            model.Varint(1, 8); // ir_version
            model.String(2, "voxgate-tests");
            model.Bytes(7, graph.ToArray());
            var opset = new Proto();
            opset.String(1, "");
            opset.Varint(2, 13);
            model.Bytes(8, opset.ToArray());
            foreach ((string key, string value) in metadata)
            {
                var entry = new Proto();
                entry.String(1, key);
                entry.String(2, value);
                model.Bytes(14, entry.ToArray());
            }
            return model.ToArray();
        }

        private static byte[] ValueInfo(string name, int type, object[] dims)
        {
            var shape = new Proto();
            foreach (object dim in dims)
            {
                var dimension = new Proto();
                if (dim is string symbol)
                {
                    dimension.String(2, symbol);
                }
                else
                {
                    dimension.Varint(1, (ulong)Convert.ToInt64(dim));
                }
                shape.Bytes(1, dimension.ToArray());
            }
            var tensor = new Proto();
            tensor.Varint(1, (ulong)type);
            tensor.Bytes(2, shape.ToArray());
            var typeProto = new Proto();
            typeProto.Bytes(1, tensor.ToArray());
            var info = new Proto();
            info.String(1, name);
            info.Bytes(2, typeProto.ToArray());
            return info.ToArray();
        }

        private static byte[] Packed(IEnumerable<ulong> values)
        {
            var packed = new Proto();
            foreach (ulong value in values)
            {
                packed.RawVarint(value);
            }
            return packed.ToArray();
        }
    }

    /// <summary>Protobuf wire format: varints (type 0) and length-delimited fields (type 2).</summary>
    private sealed class Proto
    {
        private readonly MemoryStream _bytes = new();

        public void Varint(int field, ulong value)
        {
            RawVarint((ulong)(field << 3));
            RawVarint(value);
        }

        public void Bytes(int field, byte[] value)
        {
            RawVarint((ulong)(field << 3 | 2));
            RawVarint((ulong)value.Length);
            _bytes.Write(value);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void RawVarint(ulong value)
        {
            do
            {
                byte next = (byte)(value & 0x7F);
                value >>= 7;
                _bytes.WriteByte(value == 0 ? next : (byte)(next | 0x80));
            }
            while (value != 0);
        }

        public byte[] ToArray() => _bytes.ToArray();
    }
}
