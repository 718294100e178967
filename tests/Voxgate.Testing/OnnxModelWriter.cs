using System.Globalization;
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
            ["sample_rate"] = sampleRate.ToString(CultureInfo.InvariantCulture), ["n_speakers"] = speakers.ToString(CultureInfo.InvariantCulture), ["add_blank"] = "0",
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
            ["sample_rate"] = sampleRate.ToString(CultureInfo.InvariantCulture), ["n_speakers"] = speakers.Count.ToString(CultureInfo.InvariantCulture),
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
            ["sample_rate"] = sampleRate.ToString(CultureInfo.InvariantCulture), ["n_speakers"] = speakers.Count.ToString(CultureInfo.InvariantCulture),
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
            ["sample_rate"] = sampleRate.ToString(CultureInfo.InvariantCulture), ["n_speakers"] = "1", ["use_eos_bos"] = "0", ["pad_id"] = "0",
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

    /// <summary>Mel frames the ZipVoice-shaped encoder makes per input token id at speed 1.</summary>
    public const int ZipVoiceFramesPerToken = 4;

    /// <summary>The mel bins ZipVoice's features have (its metadata's feat_dim and num_mels).</summary>
    private const int ZipVoiceMels = 100;

    /// <summary>
    /// ZipVoice's text encoder, as sherpa-onnx 1.13.8 calls it: inputs <c>tokens</c> int64[1,N], <c>prompt_tokens</c>
    /// int64[1,P], <c>prompt_features_len</c> int64[1], <c>speed</c> float[1]; output <c>text_condition</c>
    /// float[1,F,100] with F = prompt_features_len + ceil(N × 4 / speed) (sherpa-onnx keeps the frames after the
    /// prompt's), all zero. Metadata <c>use_espeak</c>=1, so English is phonemised with eSpeak NG.
    /// </summary>
    public static byte[] ZipVoiceEncoder()
    {
        var graph = new Graph();
        graph.Input("tokens", Int64, 1, "N");
        graph.Input("prompt_tokens", Int64, 1, "P");
        graph.Input("prompt_features_len", Int64, 1);
        graph.Input("speed", Float, 1);
        graph.Output("text_condition", Float, 1, "F", ZipVoiceMels);
        graph.Int64s("one", [], 1);
        graph.Int64s("zero", [], 0);
        graph.Int64s("axis0", [1], 0);
        graph.Int64s("batch", [1], 1);
        graph.Int64s("bins", [1], ZipVoiceMels);
        graph.Floats("per_token", [], ZipVoiceFramesPerToken);
        graph.Floats("zero_row", [1, 1, ZipVoiceMels], [.. new float[ZipVoiceMels]]);
        graph.Node("Shape", ["tokens"], ["tokens_shape"]);
        graph.Node("Gather", ["tokens_shape", "one"], ["count"], ("axis", 0L));
        graph.Node("Cast", ["count"], ["count_f"], ("to", (long)Float));
        graph.Node("Gather", ["speed", "zero"], ["speed_scalar"], ("axis", 0L));
        graph.Node("Mul", ["count_f", "per_token"], ["frames_at_1"]);
        graph.Node("Div", ["frames_at_1", "speed_scalar"], ["frames_scaled"]);
        graph.Node("Ceil", ["frames_scaled"], ["frames_f"]);
        graph.Node("Cast", ["frames_f"], ["frames"], ("to", (long)Int64));
        graph.Node("Unsqueeze", ["frames", "axis0"], ["frames_1d"]);
        graph.Node("Add", ["frames_1d", "prompt_features_len"], ["all_frames"]);
        graph.Node("Concat", ["batch", "all_frames", "bins"], ["condition_shape"], ("axis", 0L));
        graph.Node("Expand", ["zero_row", "condition_shape"], ["text_condition"]);
        return graph.Model(new Dictionary<string, string> { ["use_espeak"] = "1", ["comment"] = "voxgate test zipvoice text encoder" });
    }

    /// <summary>
    /// ZipVoice's flow-matching decoder: inputs <c>t</c> float[1], <c>x</c>, <c>text_condition</c> and
    /// <c>speech_condition</c> float[1,F,100], <c>guidance_scale</c> float[1]; output <c>v</c> = (c − x) / (1 − t),
    /// where c[bin] is the speech condition's largest value in that mel bin over all frames (the reference's
    /// log-mel × feat_scale, the prompt's frames; the others are zero). Euler steps of that velocity land exactly on
    /// c at t = 1 whatever the starting noise, so every generated frame is the reference's spectral peak profile.
    /// </summary>
    public static byte[] ZipVoiceDecoder(int sampleRate = 24000)
    {
        var graph = new Graph();
        graph.Input("t", Float, 1);
        graph.Input("x", Float, 1, "F", ZipVoiceMels);
        graph.Input("text_condition", Float, 1, "F", ZipVoiceMels);
        graph.Input("speech_condition", Float, 1, "F", ZipVoiceMels);
        graph.Input("guidance_scale", Float, 1);
        graph.Output("v", Float, 1, "F", ZipVoiceMels);
        graph.Node("ReduceMax", ["speech_condition"], ["target"], ("axes", new long[] { 1 }), ("keepdims", 1L));
        FlowTowards(graph, "target", "x", "t", "v");
        return graph.Model(new Dictionary<string, string>
        {
            ["version"] = "1", ["feat_dim"] = ZipVoiceMels.ToString(CultureInfo.InvariantCulture), ["num_mels"] = ZipVoiceMels.ToString(CultureInfo.InvariantCulture), ["sample_rate"] = sampleRate.ToString(CultureInfo.InvariantCulture),
            ["n_fft"] = "1024", ["hop_length"] = "256", ["window_length"] = "1024",
        });
    }

    /// <summary>The Vocos-shaped vocoder's tone is at STFT bin 4 × (the loudest mel bin): 93.75 Hz per mel bin at 24 kHz.</summary>
    public const double ZipVoiceHertzPerMelBin = 4 * 24000 / 1024.0;

    /// <summary>
    /// A Vocos vocoder (the kind sherpa-onnx runs for ZipVoice): input <c>mels</c> float[1,100,T]; outputs <c>mag</c>,
    /// <c>x</c>, <c>y</c> float[1,513,T], the magnitude and phase (cos, sin) of an STFT that sherpa-onnx inverts (n_fft
    /// 1024, hop 256). One bin carries exp(the largest mel value), the rest nothing: a steady tone at
    /// <see cref="ZipVoiceHertzPerMelBin"/> × the index of the mel bin that is loudest, so its pitch follows the
    /// reference's (a multiple of four bins keeps the frames in phase).
    /// </summary>
    public static byte[] VocosVocoder()
    {
        const int Bins = 513;
        var graph = new Graph();
        graph.Input("mels", Float, 1, ZipVoiceMels, "T");
        graph.Output("mag", Float, 1, Bins, "T");
        graph.Output("x", Float, 1, Bins, "T");
        graph.Output("y", Float, 1, Bins, "T");
        graph.Int64s("two", [], 2);
        graph.Int64s("four", [], 4);
        graph.Int64s("depth", [], Bins);
        graph.Int64s("axis0", [1], 0);
        graph.Int64s("batch_and_bins", [2], 1, Bins);
        graph.Int64s("column_shape", [3], 1, Bins, 1);
        graph.Floats("off_on", [2], 0f, 1f);
        graph.Floats("ones", [1, 1, 1], 1f);
        graph.Floats("zeros", [1, 1, 1], 0f);
        graph.Node("ReduceMax", ["mels"], ["profile"], ("axes", new long[] { 2 }), ("keepdims", 1L));
        graph.Node("ArgMax", ["profile"], ["loudest_bin"], ("axis", 1L), ("keepdims", 1L));
        graph.Node("Mul", ["loudest_bin", "four"], ["stft_bin"]);
        graph.Node("OneHot", ["stft_bin", "depth", "off_on"], ["tone_onehot"], ("axis", 1L));
        graph.Node("Reshape", ["tone_onehot", "column_shape"], ["tone_column"]);
        graph.Node("ReduceMax", ["mels"], ["loudest"]);
        graph.Node("Exp", ["loudest"], ["magnitude"]);
        graph.Node("Mul", ["tone_column", "magnitude"], ["mag_column"]);
        graph.Node("Shape", ["mels"], ["mels_shape"]);
        graph.Node("Gather", ["mels_shape", "two"], ["frames"], ("axis", 0L));
        graph.Node("Unsqueeze", ["frames", "axis0"], ["frames_1d"]);
        graph.Node("Concat", ["batch_and_bins", "frames_1d"], ["stft_shape"], ("axis", 0L));
        graph.Node("Expand", ["mag_column", "stft_shape"], ["mag"]);
        graph.Node("Expand", ["ones", "stft_shape"], ["x"]);
        graph.Node("Expand", ["zeros", "stft_shape"], ["y"]);
        return graph.Model(new Dictionary<string, string>
        {
            ["model_type"] = "vocos", ["n_fft"] = "1024", ["hop_length"] = "256", ["win_length"] = "1024", ["center"] = "1",
            ["normalized"] = "0", ["window_type"] = "hann", ["pad_mode"] = "reflect",
        });
    }

    /// <summary>Pocket TTS's embedding width (sherpa-onnx's empty text tensor is [1,0,1024]) and latent width.</summary>
    private const int PocketEmbedding = 1024;

    private const int PocketLatent = 32;

    /// <summary>Samples the Pocket-shaped Mimi decoder makes per latent frame (24 kHz at 12.5 frames a second).</summary>
    public const int PocketSamplesPerFrame = 1920;

    /// <summary>
    /// Pocket TTS's Mimi encoder: input <c>audio</c> float[1,1,N] (24 kHz); output <c>embeddings</c> float[1,1,1024]
    /// holding the reference's RMS in column 0 and zeros elsewhere.
    /// </summary>
    public static byte[] PocketEncoder()
    {
        var graph = new Graph();
        graph.Input("audio", Float, 1, 1, "N");
        graph.Output("embeddings", Float, 1, 1, PocketEmbedding);
        float[] column0 = new float[PocketEmbedding];
        column0[0] = 1;
        graph.Floats("column0", [1, 1, PocketEmbedding], column0);
        graph.Node("Mul", ["audio", "audio"], ["power"]);
        graph.Node("ReduceMean", ["power"], ["mean_power"]);
        graph.Node("Sqrt", ["mean_power"], ["rms"]);
        graph.Node("Mul", ["column0", "rms"], ["embeddings"]);
        return graph.Model(new Dictionary<string, string> { ["comment"] = "voxgate test pocket mimi encoder" });
    }

    /// <summary>Pocket TTS's text conditioner: input <c>token_ids</c> int64[1,N]; output <c>embeddings</c> float[1,N,1024], each row a 1 in column 1.</summary>
    public static byte[] PocketTextConditioner()
    {
        var graph = new Graph();
        graph.Input("token_ids", Int64, 1, "N");
        graph.Output("embeddings", Float, 1, "N", PocketEmbedding);
        float[] column1 = new float[PocketEmbedding];
        column1[1] = 1;
        graph.Floats("column1", [1, 1, PocketEmbedding], column1);
        graph.Int64s("width", [1], PocketEmbedding);
        graph.Node("Shape", ["token_ids"], ["ids_shape"]);
        graph.Node("Concat", ["ids_shape", "width"], ["embeddings_shape"], ("axis", 0L));
        graph.Node("Expand", ["column1", "embeddings_shape"], ["embeddings"]);
        return graph.Model(new Dictionary<string, string> { ["comment"] = "voxgate test pocket text conditioner" });
    }

    /// <summary>
    /// Pocket TTS's language model: inputs <c>sequence</c> float[1,S,32], <c>text_embeddings</c> float[1,T,1024] and
    /// three state tensors float[1] (sherpa-onnx starts them at zero and feeds each call's back): the voice (column 0's
    /// sum, the reference's RMS), the text (column 1's sum, its token count) and the frames so far (S summed).
    /// Outputs <c>conditioning</c> float[1,32] (the voice), <c>eos_logit</c> float[1] (0 once there are more frames
    /// than tokens, else −10), and the three states: one latent frame per token, then sherpa-onnx's three after the end.
    /// </summary>
    public static byte[] PocketLmMain()
    {
        var graph = new Graph();
        graph.Input("sequence", Float, 1, "S", PocketLatent);
        graph.Input("text_embeddings", Float, 1, "T", PocketEmbedding);
        graph.Input("state_voice", Float, 1);
        graph.Input("state_text", Float, 1);
        graph.Input("state_frames", Float, 1);
        graph.Output("conditioning", Float, 1, PocketLatent);
        graph.Output("eos_logit", Float, 1);
        graph.Output("next_voice", Float, 1);
        graph.Output("next_text", Float, 1);
        graph.Output("next_frames", Float, 1);
        graph.Int64s("zero", [], 0);
        graph.Int64s("one", [], 1);
        graph.Int64s("flat1", [1], 1);
        graph.Floats("zero_row", [1, 1, PocketEmbedding], [.. new float[PocketEmbedding]]);
        graph.Floats("ones_latent", [1, PocketLatent], [.. Enumerable.Repeat(1f, PocketLatent)]);
        graph.Floats("ten", [], 10f);
        // A zero row keeps the sums defined when sherpa-onnx passes no embeddings ([1,0,1024]).
        graph.Node("Concat", ["text_embeddings", "zero_row"], ["padded"], ("axis", 1L));
        graph.Node("Gather", ["padded", "zero"], ["voice_column"], ("axis", 2L));
        graph.Node("ReduceSum", ["voice_column"], ["voice_sum"]);
        graph.Node("Reshape", ["voice_sum", "flat1"], ["voice_added"]);
        graph.Node("Gather", ["padded", "one"], ["text_column"], ("axis", 2L));
        graph.Node("ReduceSum", ["text_column"], ["text_sum"]);
        graph.Node("Reshape", ["text_sum", "flat1"], ["text_added"]);
        graph.Node("Shape", ["sequence"], ["sequence_shape"]);
        graph.Node("Gather", ["sequence_shape", "one"], ["steps"], ("axis", 0L));
        graph.Node("Cast", ["steps"], ["steps_f"], ("to", (long)Float));
        graph.Node("Add", ["state_voice", "voice_added"], ["next_voice"]);
        graph.Node("Add", ["state_text", "text_added"], ["next_text"]);
        graph.Node("Add", ["state_frames", "steps_f"], ["next_frames"]);
        graph.Node("Greater", ["next_frames", "next_text"], ["ended"]);
        graph.Node("Cast", ["ended"], ["ended_f"], ("to", (long)Float));
        graph.Node("Mul", ["ended_f", "ten"], ["ended_ten"]);
        graph.Node("Sub", ["ended_ten", "ten"], ["eos_logit"]);
        graph.Node("Mul", ["ones_latent", "next_voice"], ["conditioning"]);
        return graph.Model(new Dictionary<string, string> { ["comment"] = "voxgate test pocket lm main" });
    }

    /// <summary>
    /// Pocket TTS's flow head: inputs <c>c</c> float[1,32], <c>s</c> and <c>t</c> float[1,1], <c>x</c> float[1,32];
    /// output <c>flow</c> = (c − x) / (1 − s): sherpa-onnx's Euler steps land on c whatever the noise.
    /// </summary>
    public static byte[] PocketLmFlow()
    {
        var graph = new Graph();
        graph.Input("c", Float, 1, PocketLatent);
        graph.Input("s", Float, 1, 1);
        graph.Input("t", Float, 1, 1);
        graph.Input("x", Float, 1, PocketLatent);
        graph.Output("flow", Float, 1, PocketLatent);
        FlowTowards(graph, "c", "x", "s", "flow");
        return graph.Model(new Dictionary<string, string> { ["comment"] = "voxgate test pocket lm flow" });
    }

    /// <summary>
    /// Pocket TTS's Mimi decoder: input <c>latent</c> float[1,C,32]; output <c>audio</c> float[1,1,C × 1920], a 440 Hz
    /// tone as loud as the latents' mean (the reference's RMS). No state inputs.
    /// </summary>
    public static byte[] PocketDecoder()
    {
        var graph = new Graph();
        graph.Input("latent", Float, 1, "C", PocketLatent);
        graph.Output("audio", Float, 1, 1, "L");
        graph.Int64s("one", [], 1);
        graph.Floats("per_frame", [], PocketSamplesPerFrame);
        graph.Node("Shape", ["latent"], ["latent_shape"]);
        graph.Node("Gather", ["latent_shape", "one"], ["frames"], ("axis", 0L));
        graph.Node("Cast", ["frames"], ["frames_f"], ("to", (long)Float));
        graph.Node("Mul", ["frames_f", "per_frame"], ["samples"]);
        graph.Node("ReduceMean", ["latent"], ["amplitude"]);
        Tone(graph, "samples", 24000, "amplitude", "audio");
        return graph.Model(new Dictionary<string, string> { ["comment"] = "voxgate test pocket mimi decoder" });
    }

    /// <summary>
    /// Pocket TTS's SentencePiece vocabulary as sherpa-onnx reads it: vocab.json (piece → id) and token_scores.json
    /// (piece → score): the word boundary ▁, ASCII letters, digits and punctuation, and the 256 byte pieces
    /// <c>&lt;0x00&gt;</c>..<c>&lt;0xFF&gt;</c> everything else falls back to.
    /// </summary>
    public static (string Vocab, string Scores) PocketVocabulary()
    {
        var pieces = new List<string> { "<unk>", "\u2581" };
        pieces.AddRange(Enumerable.Range(0x21, 0x7E - 0x21 + 1).Select(c => ((char)c).ToString()));
        int words = pieces.Count;
        pieces.AddRange(Enumerable.Range(0, 256).Select(b => $"<0x{b:X2}>"));
        string Json(Func<int, string> value) =>
            "{" + string.Join(",", pieces.Select((piece, id) => $"{System.Text.Json.JsonSerializer.Serialize(piece)}:{value(id)}")) + "}";
        return (Json(id => id.ToString(CultureInfo.InvariantCulture)), Json(id => id < words ? "-1.0" : "-10.0"));
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

    /// <summary>
    /// Adds nodes making the flow velocity <paramref name="output"/> = (target − x) / (1 − time): Euler steps of it from
    /// any x reach the target exactly when time reaches 1, so the random noise sherpa-onnx starts from never shows.
    /// </summary>
    private static void FlowTowards(Graph graph, string target, string x, string time, string output)
    {
        graph.Floats("one_f", [], 1f);
        graph.Node("Sub", [target, x], ["distance"]);
        graph.Node("Sub", ["one_f", time], ["time_left"]);
        graph.Node("Div", ["distance", "time_left"], [output]);
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

        /// <summary>Adds a node; attribute values are an int (<c>long</c>) or a list of ints (<c>long[]</c>).</summary>
        public void Node(string op, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
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
            foreach ((string name, object value) in attributes)
            {
                var attribute = new Proto();
                attribute.String(1, name);
                if (value is long[] list)
                {
                    foreach (long item in list)
                    {
                        attribute.Varint(8, (ulong)item);
                    }
                    attribute.Varint(20, 7); // AttributeType INTS
                }
                else
                {
                    attribute.Varint(3, (ulong)(long)value);
                    attribute.Varint(20, 2); // AttributeType INT
                }
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
                    dimension.Varint(1, (ulong)Convert.ToInt64(dim, CultureInfo.InvariantCulture));
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
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A MemoryStream holds no resource beyond its managed buffer.")]
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
