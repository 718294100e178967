namespace Voxgate.Speech.Audio;

/// <summary>
/// A second-order IIR filter (direct form I) with the coefficients of the RBJ Audio EQ Cookbook. Small and stateful:
/// one per channel per stage.
/// </summary>
public struct Biquad
{
    private float _b0, _b1, _b2, _a1, _a2;
    private float _x1, _x2, _y1, _y2;

    public static Biquad LowPass(int sampleRate, double frequency, double q = 0.7071) => FromPass(sampleRate, frequency, q, lowPass: true);

    public static Biquad HighPass(int sampleRate, double frequency, double q = 0.7071) => FromPass(sampleRate, frequency, q, lowPass: false);

    public static Biquad LowShelf(int sampleRate, double frequency, double gainDb) => FromShelf(sampleRate, frequency, gainDb, low: true);

    public static Biquad HighShelf(int sampleRate, double frequency, double gainDb) => FromShelf(sampleRate, frequency, gainDb, low: false);

    public float Process(float x)
    {
        float y = _b0 * x + _b1 * _x1 + _b2 * _x2 - _a1 * _y1 - _a2 * _y2;
        _x2 = _x1;
        _x1 = x;
        _y2 = _y1;
        _y1 = y;
        return y;
    }

    private static Biquad FromPass(int sampleRate, double frequency, double q, bool lowPass)
    {
        double w0 = 2 * Math.PI * Math.Min(frequency, sampleRate * 0.45) / sampleRate;
        double alpha = Math.Sin(w0) / (2 * q), cos = Math.Cos(w0);
        double b1 = lowPass ? 1 - cos : -(1 + cos);
        double b0 = lowPass ? b1 / 2 : (1 + cos) / 2;
        return Normalised(b0, b1, b0, 1 + alpha, -2 * cos, 1 - alpha);
    }

    private static Biquad FromShelf(int sampleRate, double frequency, double gainDb, bool low)
    {
        double a = Math.Pow(10, gainDb / 40);
        double w0 = 2 * Math.PI * Math.Min(frequency, sampleRate * 0.45) / sampleRate;
        double cos = Math.Cos(w0), alpha = Math.Sin(w0) / 2 * Math.Sqrt(2);
        double sq = 2 * Math.Sqrt(a) * alpha;
        double sign = low ? 1 : -1;
        double b0 = a * ((a + 1) - sign * (a - 1) * cos + sq);
        double b1 = sign * 2 * a * ((a - 1) - sign * (a + 1) * cos);
        double b2 = a * ((a + 1) - sign * (a - 1) * cos - sq);
        double a0 = (a + 1) + sign * (a - 1) * cos + sq;
        double a1 = -sign * 2 * ((a - 1) + sign * (a + 1) * cos);
        double a2 = (a + 1) + sign * (a - 1) * cos - sq;
        return Normalised(b0, b1, b2, a0, a1, a2);
    }

    private static Biquad Normalised(double b0, double b1, double b2, double a0, double a1, double a2) => new()
    {
        _b0 = (float)(b0 / a0), _b1 = (float)(b1 / a0), _b2 = (float)(b2 / a0), _a1 = (float)(a1 / a0), _a2 = (float)(a2 / a0),
    };
}
