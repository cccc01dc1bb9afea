namespace OtpFunctions.Testing;

/// <summary>Runs many calls at once: each on its own thread-pool task, all released together by one gate.</summary>
public static class Concurrently
{
    public static async Task<T[]> Run<T>(int count, Func<int, Task<T>> action)
    {
        using var gate = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await gate.WaitAsync();
            return await action(i);
        })).ToList();
        gate.Release(count);
        return await Task.WhenAll(tasks);
    }
}
