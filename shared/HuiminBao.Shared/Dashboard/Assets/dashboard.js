// The ops dashboard: reads /api/console/data/tallies (counts, 参保率) and /api/console/data/health
// (live pipeline health) from the same origin, authorised by the console cookie, not the ops key,
// and redraws every refresh. All figures come from the API, including which day is "today", so the page shows
// exactly what the API says whatever the browser's clock or time zone.
'use strict';
(function () {
  const params = new URLSearchParams(location.search);
  const planYear = params.get('planYear') || '';
  const refreshSeconds = Math.min(600, Math.max(10, Number(params.get('refresh')) || 30));
  const numbers = new Intl.NumberFormat('zh-CN');
  const daily = echarts.init(document.getElementById('daily-chart'), null, { renderer: 'canvas' });
  const districts = echarts.init(document.getElementById('district-chart'), null, { renderer: 'canvas' });
  const rates = echarts.init(document.getElementById('rate-chart'), null, { renderer: 'canvas' });
  const minutes = echarts.init(document.getElementById('minutes-chart'), null, { renderer: 'canvas' });
  let loads = 0;

  document.getElementById('refresh-seconds').textContent = String(refreshSeconds);
  const csv = new URLSearchParams({ format: 'csv' });
  if (planYear) csv.set('planYear', planYear);
  document.getElementById('csv-link').href = '/api/console/data/tallies?' + csv.toString();
  window.addEventListener('resize', function () { daily.resize(); districts.resize(); rates.resize(); minutes.resize(); });

  function setText(id, value) { document.getElementById(id).textContent = value; }

  function addDays(day, count) {
    const date = new Date(day + 'T00:00:00Z');
    date.setUTCDate(date.getUTCDate() + count);
    return date.toISOString().slice(0, 10);
  }

  function wan(count) { return count >= 10000 ? '约 ' + (count / 10000).toFixed(1) + ' 万人' : ''; }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      td.textContent = cell;
      tr.appendChild(td);
    }
    return tr;
  }

  function percent(rate) { return rate === undefined || rate === null ? '—' : (rate * 100).toFixed(2) + '%'; }

  function seconds(value) {
    if (value === undefined || value === null) return '—';
    return value >= 60 ? (value / 60).toFixed(1) + ' 分钟' : Math.round(value) + ' 秒';
  }

  const queueNames = { 'signups': '投保申请', 'notifications': '微信通知', 'roster-imports': '花名册导入', 'signups-poison': '申请（失败）', 'notifications-poison': '通知（失败）' };

  async function fetchJson(path) {
    const response = await fetch(path, {
      headers: { 'Accept': 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (!response.ok) {
      let detail = 'HTTP ' + response.status;
      try { detail = (await response.json()).detail || detail; } catch (e) { /* not problem+json */ }
      throw new Error(detail);
    }
    return response.json();
  }

  function fetchTallies() {
    return fetchJson('/api/console/data/tallies' + (planYear ? '?planYear=' + encodeURIComponent(planYear) : ''));
  }

  function fetchHealth() { return fetchJson('/api/console/data/health'); }

  function renderHealth(health) {
    setText('health-as-of', '更新于 ' + health.asOf.slice(11, 19) + '（北京时间）');
    setText('accepted-per-minute', numbers.format(health.acceptedPerMinute));
    const signups = health.queues.find(function (q) { return q.queue === 'signups'; });
    setText('signups-backlog', signups ? numbers.format(signups.messages) : '—');
    setText('signups-oldest', signups && signups.oldestAgeSeconds !== undefined ? '最早等待 ' + seconds(signups.oldestAgeSeconds) : '队列为空');
    setText('lag', seconds(health.lagP50Seconds) + ' / ' + seconds(health.lagP95Seconds));
    setText('needs-review', numbers.format(health.needsReview));
    const poisoned = health.queues.filter(function (q) { return q.queue.endsWith('-poison'); }).reduce(function (sum, q) { return sum + q.messages; }, 0);
    setText('poisoned', '失败队列 ' + numbers.format(poisoned) + ' 条');
    const circuit = document.getElementById('insurance-circuit');
    circuit.textContent = health.insuranceCircuit === 'open' ? '已熔断' : health.insuranceCircuit === 'closed' ? '正常' : '花名册模式';
    circuit.className = 'value ' + (health.insuranceCircuit === 'open' ? 'warn' : 'ok');
    setText('send-failures', numbers.format(health.sendFailures));
    const warnings = document.getElementById('health-warnings');
    const texts = { lag: '处理延迟超过告警阈值', backlog: '投保申请积压超过告警阈值', 'insurance-circuit-open': '医保服务已熔断，申请在队列中等待' };
    warnings.textContent = health.warnings.map(function (w) { return texts[w] || w; }).join('；');
    warnings.hidden = health.warnings.length === 0;

    minutes.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { data: ['受理', '出结果'], top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 24 },
      xAxis: { type: 'category', data: health.minutes.map(function (m) { return m.minute.slice(11, 16); }) },
      yAxis: { type: 'value', name: '件/分钟' },
      series: [
        { name: '受理', type: 'bar', data: health.minutes.map(function (m) { return m.accepted; }), itemStyle: { color: '#2563eb' } },
        { name: '出结果', type: 'bar', data: health.minutes.map(function (m) { return m.decided; }), itemStyle: { color: '#16a34a' } },
      ],
    }, true);
    const queueRows = document.querySelector('#queue-table tbody');
    queueRows.replaceChildren.apply(queueRows, health.queues.map(function (q) {
      return row([queueNames[q.queue] || q.queue, numbers.format(q.messages), q.oldestAgeSeconds === undefined ? '—' : seconds(q.oldestAgeSeconds)]);
    }));
    document.body.dataset.healthAsOf = health.asOf;
  }

  function render(tally) {
    const byDay = new Map(tally.days.map(function (d) { return [d.day, d]; }));
    const today = byDay.get(tally.today);
    const yesterdayDay = addDays(tally.today, -1);
    const yesterday = byDay.get(yesterdayDay);

    setText('plan-year', tally.planYear + ' 年度' + (tally.windowStart ? ' · ' + tally.windowStart + ' 开放投保' : ''));
    setText('as-of', '数据更新于 ' + tally.asOf.slice(0, 10) + ' ' + tally.asOf.slice(11, 19) + '（北京时间）');
    setText('cumulative', numbers.format(tally.cumulative));
    setText('cumulative-note', wan(tally.cumulative));
    setText('today-enrolled', numbers.format(today ? today.enrolled : 0));
    setText('today-day', tally.today);
    setText('yesterday-enrolled', numbers.format(yesterday ? yesterday.enrolled : 0));
    setText('rate', percent(tally.rate));
    setText('rate-note', tally.population ? '基本医保参保 ' + numbers.format(tally.population) + ' 人（花名册 ' + tally.populationAsOf + '）' : '尚未导入花名册');
    setText('yesterday-day', yesterdayDay);

    daily.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      // ECharts 6 puts the legend at the bottom by default, over the day labels.
      legend: { data: ['每日参保人数', '累计参保人数'], top: 0 },
      grid: { left: 64, right: 80, top: 64, bottom: 32 },
      xAxis: { type: 'category', data: tally.days.map(function (d) { return d.day.slice(5); }) },
      yAxis: [
        { type: 'value', name: '每日（人）' },
        { type: 'value', name: '累计（人）', splitLine: { show: false } },
      ],
      series: [
        { name: '每日参保人数', type: 'bar', data: tally.days.map(function (d) { return d.enrolled; }), itemStyle: { color: '#2563eb' } },
        { name: '累计参保人数', type: 'line', yAxisIndex: 1, data: tally.days.map(function (d) { return d.cumulative; }), itemStyle: { color: '#ea580c' }, symbolSize: 6 },
      ],
    }, true);

    const ranked = tally.districts.slice().reverse();
    districts.setOption({
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 72, right: 56, top: 16, bottom: 24 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: ranked.map(function (d) { return d.name; }) },
      series: [{ name: '累计参保人数', type: 'bar', data: ranked.map(function (d) { return d.cumulative; }), itemStyle: { color: '#2563eb' }, label: { show: true, position: 'right' } }],
    }, true);

    const districtRows = document.querySelector('#district-table tbody');
    districtRows.replaceChildren.apply(districtRows, tally.districts.map(function (d) {
      const todayCount = today && today.districts[d.code] ? today.districts[d.code] : 0;
      return row([d.name, numbers.format(d.cumulative), numbers.format(todayCount), percent(d.rate)]);
    }));

    const byRate = tally.districts.filter(function (d) { return d.rate !== undefined && d.rate !== null; })
      .sort(function (a, b) { return a.rate - b.rate; });
    rates.setOption({
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: function (v) { return v.toFixed(2) + '%'; } },
      grid: { left: 72, right: 72, top: 16, bottom: 24 },
      xAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: byRate.map(function (d) { return d.name; }) },
      series: [{ name: '参保率', type: 'bar', data: byRate.map(function (d) { return Number((d.rate * 100).toFixed(2)); }),
        itemStyle: { color: '#ea580c' }, label: { show: true, position: 'right', formatter: '{c}%' } }],
    }, true);
    const dayRows = document.querySelector('#daily-table tbody');
    dayRows.replaceChildren.apply(dayRows, tally.days.slice(-14).reverse().map(function (d) {
      return row([d.day, numbers.format(d.enrolled), numbers.format(d.cumulative)]);
    }));

    loads += 1;
    document.body.dataset.loads = String(loads);
    document.body.dataset.asOf = tally.asOf;
  }

  async function refresh() {
    const status = document.getElementById('status');
    try {
      const [tally, health] = await Promise.all([fetchTallies(), fetchHealth()]);
      renderHealth(health);
      render(tally);
      status.hidden = true;
    } catch (error) {
      status.textContent = '数据加载失败（' + error.message + '），' + refreshSeconds + ' 秒后自动重试';
      status.hidden = false;
    } finally {
      setTimeout(refresh, refreshSeconds * 1000);
    }
  }

  refresh();
})();
