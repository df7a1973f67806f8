namespace HuiminBao.DevHost.Azurite;

/// <summary>Finds the checkout (the folder holding HuiminBao.sln), where npm installs Azurite and local data lives.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "HuiminBao.sln")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (HuiminBao.sln) above " + AppContext.BaseDirectory);
    }
}
