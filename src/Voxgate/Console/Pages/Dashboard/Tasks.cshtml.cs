using Microsoft.AspNetCore.Mvc;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.Tasks;

namespace Voxgate.WebConsole.Pages.Dashboard;

/// <summary>
/// The account's tasks (<see cref="TaskService"/>) with progress, and a signed download link for each result still
/// kept (the same links the MiniMax file API gives). <c>/console/tasks/{id}</c> shows one; another account's id is a
/// 404 exactly like an id nobody has.
/// </summary>
public sealed class TasksModel(TaskService tasks, FileService files) : DashboardPage
{
    public sealed record Row(SpeechTask Task, string? Download);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public Row? One { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? id, CancellationToken cancellationToken)
    {
        IReadOnlyList<SpeechTask> found;
        if (id is long taskId)
        {
            try
            {
                found = [await tasks.GetAsync(AccountId, taskId, cancellationToken)];
            }
            catch (NotFoundException)
            {
                return NotFound();
            }
        }
        else
        {
            found = await tasks.ListAsync(AccountId, 50, cancellationToken);
        }
        var rows = new List<Row>(found.Count);
        foreach (SpeechTask task in found)
        {
            rows.Add(new Row(task, await DownloadAsync(task, cancellationToken)));
        }
        Rows = rows;
        One = id is null ? null : rows[0];
        return Page();
    }

    private async Task<string?> DownloadAsync(SpeechTask task, CancellationToken cancellationToken)
    {
        if (task.State != TaskState.Succeeded || await tasks.ResultExpiredAsync(task, cancellationToken))
        {
            return null;
        }
        StoredFile file = await files.GetAsync(AccountId, task.ResultFileId, cancellationToken);
        return "/" + files.SignedDownload(file, files.Options.DownloadLinkLifetime).PathAndQuery.TrimStart('/');
    }
}
