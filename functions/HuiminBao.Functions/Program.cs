using HuiminBao.Enrollment.Eligibility;
using HuiminBao.Hosting;
using HuiminBao.Roster;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();

// Typed as the hosting abstraction so these registrations are compile-checked even where the
// Worker SDK can't be restored (see tests/HuiminBao.Tests/Functions).
IHostApplicationBuilder app = builder;
app.AddClock();
app.AddStorage();
app.AddSecurity();
app.AddWeChat();
app.AddIntake();
app.AddEligibility();
app.AddRosterImport();
app.AddValidation();
app.AddReviews();
app.AddNotifications();
app.AddTallies();
app.AddWeCom();
app.AddDailyReport();

builder.Build().Run();
