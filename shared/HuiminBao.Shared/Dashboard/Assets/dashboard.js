// The ops dashboard: reads /api/console/data/tallies (same origin; the console cookie, not the ops
// key, authorises it) and redraws every refresh. All figures come from the API, including which day is "today", so the page shows
// exactly what the API says whatever the browser's clock or time zone.
'use strict';
(function () {
  const params = new URLSearchParams(location.search);
  const planYear = params.get('planYear') || '';
  const refreshSeconds = Math.min(600, Math.max(10, Number(params.get('refresh')) || 30));
  const numbers = new Intl.NumberFormat('zh-CN');
  const daily = echarts.init(document.getElementById('daily-chart'), null, { renderer: 'canvas' });
  const districts = echarts.init(document.getElementById('district-chart'), null, { renderer: 'canvas' });
  let loads = 0;

  document.getElementById('refresh-seconds').textContent = String(refreshSeconds);
  const csv = new URLSearchParams({ format: 'csv' });
  if (planYear) csv.set('planYear', planYear);
  document.getElementById('csv-link').href = '/api/console/data/tallies?' + csv.toString();
  window.addEventListener('resize', function () { daily.resize(); districts.resize(); });

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

  async function fetchTallies() {
    const query = planYear ? '?planYear=' + encodeURIComponent(planYear) : '';
    const response = await fetch('/api/console/data/tallies' + query, {
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
      return row([d.name, numbers.format(d.cumulative), numbers.format(todayCount)]);
    }));
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
      render(await fetchTallies());
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
