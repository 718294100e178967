namespace Voxgate.Bench;

/// <summary>The benchmark texts: plain English prose, repeated and cut to an exact length.</summary>
public static class Texts
{
    private const string Prose =
        "The old lighthouse stood at the edge of the harbour, its white paint peeling in long strips after a hundred winters. " +
        "Every evening the keeper climbed the spiral stairs, counted the steps out of habit, and lit the lamp before the fishing boats came home. " +
        "Nobody in the village could remember a night when the light had failed, although the keeper himself told stories of storms so fierce " +
        "that the glass had rattled in its frame. Children gathered on the quay to watch the beam sweep across the water. " +
        "Some of them swore they could hear the lamp humming, a low steady note beneath the noise of the waves. " +
        "In the spring a young engineer arrived from the city with plans to replace the lamp with an automatic one. " +
        "She spent three days measuring the tower, asking questions, and writing numbers in a small green notebook. " +
        "On the fourth day she climbed the stairs with the keeper at dusk and watched him light the lamp by hand. " +
        "When she left the following week, the plans stayed folded in her bag, and the keeper kept climbing the stairs. ";

    public static string OfLength(int characters) =>
        string.Concat(Enumerable.Repeat(Prose, characters / Prose.Length + 1))[..characters];
}
